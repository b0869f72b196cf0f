import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { callIdentomat, resultOf, sessionFields } from '../../transport';
import { unreadableAnswerError } from '../../transport/errors';
import { getSessionId, sessionIdField } from '../common';

export const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['getActivities'] } },
	[sessionIdField],
);

const ACTION = 'Session → Get Activities';

/** list-session-activities: one item per activity (`{id, type, time, data}`), oldest first as sent. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const sessionId = getSessionId(this, itemIndex);
	const answer = await callIdentomat(this, {
		host: 'api',
		path: 'list-session-activities',
		fields: sessionFields('api', sessionId),
		readOnly: true,
		itemIndex,
		action: ACTION,
	});
	const activities = resultOf<unknown>(answer);
	if (!Array.isArray(activities)) {
		throw unreadableAnswerError({ node: this.getNode(), itemIndex, action: ACTION }, 'it holds no list of activities');
	}
	return activities.map((activity) => ({ json: { sessionId, ...(activity as IDataObject) } }));
}
