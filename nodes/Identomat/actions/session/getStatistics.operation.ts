import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { callIdentomat, resultOf, sessionFields } from '../../transport';
import { unreadableAnswerError } from '../../transport/errors';
import { getSessionId, sessionIdField } from '../common';

export const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['getStatistics'] } },
	[sessionIdField],
);

const ACTION = 'Session → Get Statistics';

/** get-session-statistical-summary answers an array holding one summary: the item is that summary. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const sessionId = getSessionId(this, itemIndex);
	const answer = await callIdentomat(this, {
		host: 'api',
		path: 'get-session-statistical-summary',
		fields: sessionFields('api', sessionId),
		readOnly: true,
		itemIndex,
		action: ACTION,
	});
	const result = resultOf<unknown>(answer);
	const summary = Array.isArray(result) ? result[0] : result;
	if (typeof summary !== 'object' || summary === null || Array.isArray(summary)) {
		throw unreadableAnswerError({ node: this.getNode(), itemIndex, action: ACTION }, 'it holds no summary');
	}
	return [{ json: { sessionId, ...(summary as IDataObject) } }];
}
