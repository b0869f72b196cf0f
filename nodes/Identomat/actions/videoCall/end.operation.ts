import type { JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { errorPlace, messageAt } from '../../../shared/transport';
import { type AboutSession, sessionOperation } from '../shared/sessionOperation';

export const { option, endpoint, properties, execute } = sessionOperation(
	{
		name: 'End',
		value: 'end',
		action: 'End a live video call for good',
		description: 'Hang up the active video call of a session (it cannot be resumed)',
	},
	'endVideoCall',
	{
		toItems: (_answer, { sessionId }) => [{ json: { ended: true, sessionId } }],
		explainFailure: explainNoCall,
	},
);

/** Identomat answers invalid-access when there is no call to end: say that first. */
function explainNoCall(error: unknown, { ctx, itemIndex }: AboutSession): unknown {
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
