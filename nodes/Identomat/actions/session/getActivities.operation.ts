import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { callEndpoint, resultOf } from '../../../shared/api/call';
import { errorPlace, unreadableAnswerError } from '../../../shared/transport';
import { sessionIdField } from '../shared/fields';
import { getSessionId } from '../shared/parameters';
import type { OperationOption } from '../shared/types';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Get Activities',
	value: 'getActivities',
	action: 'Get the activities of a session',
	description: 'List what happened in the session, one item per activity',
};

export const endpoint = 'sessionActivities' satisfies EndpointName;

export const properties: INodeProperties[] = [sessionIdField];

/** list-session-activities: one item per activity (`{id, type, time, data}`), oldest first as sent. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const sessionId = getSessionId(this, itemIndex);
	const request = { sessionId, itemIndex };
	const answer = await callEndpoint(this, endpoint, request);
	const activities = resultOf<unknown>(answer);
	if (!Array.isArray(activities)) {
		throw unreadableAnswerError(errorPlace(this, itemIndex), 'it holds no list of activities');
	}
	return activities.map((activity) => ({ json: { sessionId, ...(activity as IDataObject) } }));
}
