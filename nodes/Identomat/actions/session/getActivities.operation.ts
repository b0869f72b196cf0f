import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { callIdentomat, errorPlace, resultOf } from '../../transport';
import { unreadableAnswerError } from '../../transport/errors';
import { sessionIdField } from '../shared/fields';
import { sessionCall } from '../shared/session';
import type { OperationOption } from '../shared/types';

export const option: OperationOption = {
	name: 'Get Activities',
	value: 'getActivities',
	action: 'Get the activities of a session',
	description: 'List what happened in the session, one item per activity',
};

export const properties: INodeProperties[] = [sessionIdField];

/** list-session-activities: one item per activity (`{id, type, time, data}`), oldest first as sent. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { sessionId, call } = sessionCall(this, itemIndex, 'api', 'list-session-activities');
	const answer = await callIdentomat(this, call);
	const activities = resultOf<unknown>(answer);
	if (!Array.isArray(activities)) {
		throw unreadableAnswerError(errorPlace(this, itemIndex), 'it holds no list of activities');
	}
	return activities.map((activity) => ({ json: { sessionId, ...(activity as IDataObject) } }));
}
