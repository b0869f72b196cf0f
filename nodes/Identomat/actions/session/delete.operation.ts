import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { callIdentomat } from '../../transport';
import { sessionIdField } from '../shared/fields';
import { sessionCall } from '../shared/session';
import type { OperationOption } from '../shared/types';

export const option: OperationOption = {
	name: 'Delete',
	value: 'delete',
	action: 'Permanently delete a session and all its data',
	description: 'Permanently delete all data of a session (cannot be undone)',
};

export const properties: INodeProperties[] = [sessionIdField];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { sessionId, call } = sessionCall(this, itemIndex, 'widget', 'delete/', {
		readOnly: false,
	});
	await callIdentomat(this, call);
	return [{ json: { deleted: true, sessionId } }];
}
