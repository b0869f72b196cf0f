import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { callIdentomat, sessionFields } from '../../transport';
import { getSessionId, sessionIdField } from '../common';

export const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['delete'] } },
	[sessionIdField],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const sessionId = getSessionId(this, itemIndex);
	await callIdentomat(this, {
		host: 'widget',
		path: 'delete/',
		fields: sessionFields('widget', sessionId),
		readOnly: false,
		itemIndex,
		action: 'Session → Delete',
	});
	return [{ json: { deleted: true, sessionId } }];
}
