import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { callIdentomat, sessionFields } from '../../transport';
import { sessionIdField } from '../shared/fields';
import { getSessionId } from '../shared/parameters';
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
	const sessionId = getSessionId(this, itemIndex);
	await callIdentomat(this, {
		host: 'widget',
		path: 'delete/',
		fields: sessionFields('widget', sessionId),
		readOnly: false,
		itemIndex,
	});
	return [{ json: { deleted: true, sessionId } }];
}
