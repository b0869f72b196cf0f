import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { callEndpoint } from '../../../shared/api/call';
import { sessionIdField } from '../shared/fields';
import { getSessionId } from '../shared/parameters';
import type { OperationOption } from '../shared/types';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Delete',
	value: 'delete',
	action: 'Permanently delete a session and all its data',
	description: 'Permanently delete all data of a session (cannot be undone)',
};

export const endpoint = 'deleteSession' satisfies EndpointName;

export const properties: INodeProperties[] = [sessionIdField];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const sessionId = getSessionId(this, itemIndex);
	const request = { sessionId, itemIndex };
	await callEndpoint(this, endpoint, request);
	return [{ json: { deleted: true, sessionId } }];
}
