import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { callEndpoint, resultOf } from '../../../shared/api/call';
import { requiredText } from '../shared/parameters';
import type { OperationOption } from '../shared/types';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Get Person',
	value: 'getPerson',
	action: 'Get the profile of a screening match',
	description: 'Get the full profile of a match: positions, aliases, sanctions',
};

export const endpoint = 'screeningPerson' satisfies EndpointName;

export const properties: INodeProperties[] = [
	{
		displayName: 'Person ID',
		name: 'personId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 67137933a2176f0797f1e657',
		description:
			'The personId of a match (24 hexadecimal characters), as returned by Screening → Search',
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const personId = requiredText(this, itemIndex, 'personId', 'Person ID');
	const answer = await callEndpoint(this, endpoint, {
		fields: { personId },
		itemIndex,
	});
	return [{ json: { personId, ...resultOf<IDataObject>(answer) } }];
}
