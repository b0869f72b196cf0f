import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { callEndpoint } from '../../../shared/api/call';
import { requiredText } from '../shared/parameters';
import type { OperationOption } from '../shared/types';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Remove',
	value: 'remove',
	action: 'Permanently remove a record from the blacklist',
	description: 'Permanently delete a blacklist record (cannot be undone)',
};

export const endpoint = 'removeBlacklistRecord' satisfies EndpointName;

export const properties: INodeProperties[] = [
	{
		displayName: 'Record ID',
		name: 'recordId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 682b09e4400b3a00067ebcf7',
		description:
			'ID of the blacklist record (24 hexadecimal characters), as returned by Blacklist → Add or Get Many',
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const id = requiredText(this, itemIndex, 'recordId', 'Record ID');
	await callEndpoint(this, endpoint, {
		fields: { id },
		itemIndex,
	});
	return [{ json: { deleted: true, id } }];
}
