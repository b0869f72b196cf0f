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
	name: 'Get Statistics',
	value: 'getStatistics',
	action: 'Get the statistics of a session',
	description: 'Get the timings and attempts of the document scan and liveness steps',
};

export const endpoint = 'sessionStatistics' satisfies EndpointName;

export const properties: INodeProperties[] = [sessionIdField];

/** get-session-statistical-summary answers an array holding one summary: the item is that summary. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const sessionId = getSessionId(this, itemIndex);
	const request = { sessionId, itemIndex };
	const answer = await callEndpoint(this, endpoint, request);
	const result = resultOf<unknown>(answer);
	const summary = Array.isArray(result) ? result[0] : result;
	if (typeof summary !== 'object' || summary === null || Array.isArray(summary)) {
		throw unreadableAnswerError(errorPlace(this, itemIndex), 'it holds no summary');
	}
	return [{ json: { sessionId, ...(summary as IDataObject) } }];
}
