import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { callIdentomat, resultOf } from '../../transport';
import { requiredText } from '../shared/parameters';
import type { OperationOption } from '../shared/types';

export const option: OperationOption = {
	name: 'Get Person',
	value: 'getPerson',
	action: 'Get the profile of a screening match',
	description: 'Get the full profile of a match: positions, aliases, sanctions',
};

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
	const answer = await callIdentomat(this, {
		host: 'api',
		path: 'get-screening-person-details',
		fields: { personId },
		readOnly: true,
		itemIndex,
	});
	return [{ json: { personId, ...resultOf<IDataObject>(answer) } }];
}
