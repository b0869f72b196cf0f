import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { callIdentomat } from '../../transport';
import { requiredText } from '../shared/parameters';
import type { OperationOption } from '../shared/types';

export const option: OperationOption = {
	name: 'Remove',
	value: 'remove',
	action: 'Permanently remove a record from the blacklist',
	description: 'Permanently delete a blacklist record (cannot be undone)',
};

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
	await callIdentomat(this, {
		host: 'api',
		path: 'remove-blacklist-record',
		fields: { id },
		readOnly: false,
		itemIndex,
	});
	return [{ json: { deleted: true, id } }];
}
