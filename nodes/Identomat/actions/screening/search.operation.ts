import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { paginate, pageOf } from '../../helpers/pagination';
import { callIdentomat, resultOf } from '../../transport';
import { limitField, returnAllField } from '../shared/fields';
import { isoDate, numberInRange, requiredText } from '../shared/parameters';
import { birthdayFromOption, fullNameField } from './fields';
import type { OperationOption } from '../shared/types';

export const properties: INodeProperties[] = [
	fullNameField,
	{
		displayName: 'Score Threshold',
		name: 'scoreThreshold',
		type: 'number',
		required: true,
		typeOptions: { minValue: 0, maxValue: 100 },
		default: 80,
		description: 'Minimum match score from 0 to 100: lower finds more, less similar names',
	},
	returnAllField,
	limitField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [birthdayFromOption],
	},
];

export const option: OperationOption = {
	name: 'Search',
	value: 'search',
	action: 'Search sanctions and PEP lists for a person',
	description: 'Search sanctions, PEP and regulatory lists for a person by name',
};

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const fullName = requiredText(this, itemIndex, 'fullName', 'Full Name');
	const scoreThreshold = numberInRange(
		this,
		itemIndex,
		'scoreThreshold',
		'Score Threshold',
		0,
		100,
	);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const query: IDataObject = { fullName, scoreThreshold };
	const birthdayTimeFrom = isoDate(this, itemIndex, options.birthdayFrom, 'Birthday From');
	if (birthdayTimeFrom) query.birthdayTimeFrom = birthdayTimeFrom;

	const matches = await paginate<IDataObject>(this, itemIndex, async (offset, limit) => {
		const answer = await callIdentomat(this, {
			host: 'api',
			path: 'search-screening-person',
			fields: { query, offset, limit },
			readOnly: true,
			itemIndex,
		});
		return pageOf<IDataObject>(resultOf(answer));
	});
	return matches.map((json) => ({ json }));
}
