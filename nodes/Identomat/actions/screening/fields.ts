import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { isoDate, requiredText } from '../shared/parameters';

/** Parameters the screening operations share (same names, so values survive switching operations). */

export const fullNameField: INodeProperties = {
	displayName: 'Full Name',
	name: 'fullName',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. John Smith',
	description: 'Full name of the person, as it would appear on a sanctions or PEP list',
};

/** The Options of a person to look for (read by `personQuery`). */
export const personOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Birthday From',
			name: 'birthdayFrom',
			type: 'dateTime',
			default: '',
			description: 'Only match people born on or after this date (ISO 8601, e.g. 1980-01-31)',
		},
	],
};

/** The person to look for, as Identomat's `query`: Full Name and, if set, the Birthday From option. */
export function personQuery(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const query: IDataObject = { fullName: requiredText(ctx, itemIndex, 'fullName', 'Full Name') };
	const birthdayFrom = ctx.getNodeParameter('options.birthdayFrom', itemIndex, '');
	const birthdayTimeFrom = isoDate(ctx, itemIndex, birthdayFrom, 'Birthday From');
	if (birthdayTimeFrom) query.birthdayTimeFrom = birthdayTimeFrom;
	return query;
}
