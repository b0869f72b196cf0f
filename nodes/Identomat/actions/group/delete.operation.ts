import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { callIdentomat } from '../../transport';
import { getGroupId, groupField } from './fields';
import type { OperationOption } from '../shared/types';

export const option: OperationOption = {
	name: 'Delete',
	value: 'delete',
	action: 'Permanently delete a group',
	description: 'Permanently delete a group (cannot be undone; its users are kept)',
};

export const properties: INodeProperties[] = [groupField];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const groupId = getGroupId(this, itemIndex);
	await callIdentomat(this, {
		host: 'api',
		path: 'delete-group',
		fields: { groupId },
		readOnly: false,
		itemIndex,
	});
	return [{ json: { deleted: true, groupId } }];
}
