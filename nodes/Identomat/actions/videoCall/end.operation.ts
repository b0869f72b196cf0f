import type {
	IExecuteFunctions,
	INodeExecutionData,
	JsonObject,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { callEndpoint } from '../../../shared/api/call';
import { errorPlace, messageAt } from '../../../shared/transport';
import { sessionIdField } from '../shared/fields';
import type { OperationOption } from '../shared/types';
import { getSessionId } from '../shared/parameters';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'End',
	value: 'end',
	action: 'End a live video call for good',
	description: 'Hang up the active video call of a session (it cannot be resumed)',
};

export const endpoint = 'endVideoCall' satisfies EndpointName;

export const properties: INodeProperties[] = [sessionIdField];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const sessionId = getSessionId(this, itemIndex);
	const request = { sessionId, itemIndex };
	await callEndpoint(this, endpoint, request).catch((error: unknown) => {
		throw explainNoCall(this, itemIndex, error);
	});
	return [{ json: { ended: true, sessionId } }];
}

/** Identomat answers invalid-access when there is no call to end: say that first. */
function explainNoCall(ctx: IExecuteFunctions, itemIndex: number, error: unknown): unknown {
	if (!(error instanceof NodeApiError) || error.errorResponse?.identomatCode !== 'invalid-access')
		return error;
	const message = messageAt(
		errorPlace(ctx, itemIndex),
		'this session has no active video call to end',
	);
	return new NodeApiError(
		ctx.getNode(),
		{ message, identomatCode: 'invalid-access' } as JsonObject,
		{
			message,
			description:
				'The call may have ended already, or never started. Check the session with Session → Get Activities (VIDEO_CALL_ENDED). If a call is running, check that this company key belongs to the company that created the session.',
			itemIndex,
			httpCode: error.httpCode ?? undefined,
		},
	);
}
