import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { callIdentomat, resultOf } from '../../transport';
import { requiredText } from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'Person ID',
		name: 'personId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 67137933a2176f0797f1e657',
		description: 'The personId of a match, as returned by Screening → Search',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['screening'], operation: ['getPerson'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const personId = requiredText(this, itemIndex, 'personId', 'Person ID');
	const answer = await callIdentomat(this, {
		host: 'api',
		path: 'get-screening-person-details',
		fields: { personId },
		readOnly: true,
		itemIndex,
		action: 'Screening → Get Person',
	});
	return [{ json: { personId, ...resultOf<IDataObject>(answer) } }];
}
