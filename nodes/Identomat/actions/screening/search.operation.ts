import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { screeningMatches, type ScreeningQuery } from '../../../shared/api/lists';
import { paginate } from '../shared/getMany';
import { limitField, returnAllField } from '../shared/fields';
import { numberInRange } from '../shared/parameters';
import { fullNameField, personOptions, personQuery } from './fields';
import type { OperationOption } from '../shared/types';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Search',
	value: 'search',
	action: 'Search sanctions and PEP lists for a person',
	description: 'Search sanctions, PEP and regulatory lists for a person by name',
};

export const endpoint = 'searchScreening' satisfies EndpointName;

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
		displayName: 'Split Matches',
		name: 'splitMatches',
		type: 'boolean',
		default: false,
		description:
			'Whether to output one item per match instead of one item per person searched. Off: each person gives one item with "matchCount" and the "matches", so a person with no match still flows on and many matches do not run the next node many times.',
	},
	personOptions,
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const person = personQuery(this, itemIndex);
	const scoreThreshold = numberInRange(
		this,
		itemIndex,
		'scoreThreshold',
		'Score Threshold',
		0,
		100,
	);
	const query = { ...person, scoreThreshold } as ScreeningQuery;

	// The same call as the trigger's match lookup: an answer that is no list is refused, never "no matches".
	const matches = await paginate(this, itemIndex, screeningMatches(this, { query, itemIndex }));
	if (this.getNodeParameter('splitMatches', itemIndex, false) === true)
		return matches.map((json) => ({ json }));
	return [{ json: { search: query, matchCount: matches.length, matches } }];
}
