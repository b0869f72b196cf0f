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
	name: 'Get Statistics',
	value: 'getStatistics',
	action: 'Get the statistics of a session',
	description: 'Get the timings and attempts of the document scan and liveness steps',
};

export const properties: INodeProperties[] = [sessionIdField];

/** get-session-statistical-summary answers an array holding one summary: the item is that summary. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { sessionId, call } = sessionCall(
		this,
		itemIndex,
		'api',
		'get-session-statistical-summary',
	);
	const answer = await callIdentomat(this, call);
	const result = resultOf<unknown>(answer);
	const summary = Array.isArray(result) ? result[0] : result;
	if (typeof summary !== 'object' || summary === null || Array.isArray(summary)) {
		throw unreadableAnswerError(errorPlace(this, itemIndex), 'it holds no summary');
	}
	return [{ json: { sessionId, ...(summary as IDataObject) } }];
}
