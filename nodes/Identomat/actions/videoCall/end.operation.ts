import type { IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { callIdentomat, sessionFields } from '../../transport';
import { getSessionId, sessionIdField } from '../common';

export const description = updateDisplayOptions(
	{ show: { resource: ['videoCall'], operation: ['end'] } },
	[sessionIdField],
);

const ACTION = 'Video Call → End';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const sessionId = getSessionId(this, itemIndex);
	try {
		await callIdentomat(this, {
			host: 'api',
			path: 'end-video-call',
			fields: sessionFields('api', sessionId),
			readOnly: false,
			itemIndex,
			action: ACTION,
		});
	} catch (error) {
		throw explainNoCall(this, itemIndex, error);
	}
	return [{ json: { ended: true, sessionId } }];
}

/** Identomat answers invalid-access when there is no call to end: say that first. */
function explainNoCall(ctx: IExecuteFunctions, itemIndex: number, error: unknown): unknown {
	if (!(error instanceof NodeApiError) || error.errorResponse?.identomatCode !== 'invalid-access') return error;
	const message = `${ACTION}: this session has no active video call to end`;
	return new NodeApiError(ctx.getNode(), { message, identomatCode: 'invalid-access' } as JsonObject, {
		message,
		description:
			'The call may have ended already, or never started. Check the session with Session → Get Activities (VIDEO_CALL_ENDED). If a call is running, check that this company key belongs to the company that created the session.',
		itemIndex,
		httpCode: error.httpCode ?? undefined,
	});
}
