import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { callEndpoint } from '../../../shared/api/call';
import { getGroupId, groupField } from './fields';
import type { OperationOption } from '../shared/types';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Delete',
	value: 'delete',
	action: 'Permanently delete a group',
	description: 'Permanently delete a group (cannot be undone; its users are kept)',
};

export const endpoint = 'deleteGroup' satisfies EndpointName;

export const properties: INodeProperties[] = [groupField];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const groupId = getGroupId(this, itemIndex);
	await callEndpoint(this, endpoint, {
		fields: { groupId },
		itemIndex,
	});
	return [{ json: { deleted: true, groupId } }];
}
