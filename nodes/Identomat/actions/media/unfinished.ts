import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { callEndpoint } from '../../../shared/api/call';
import { errorPlace, unfinishedSessionError } from '../../../shared/transport';
import { getSessionId } from '../shared/parameters';
import type { OperationModule } from '../shared/types';

/**
 * Identomat answers a file of a session still in progress as it answers a file that does not
 * exist ("not found"). Only then is the session's result read (one more call, on the failing
 * path only): when it is not final, the message says the person has not finished, not that the
 * ID is wrong.
 */

/** The codes a file that is not there comes back with. */
const NOT_THERE = ['not-found', 'session-not-found', 'face-photo-not-found'];

/** Results after which a session changes no more (docs/identomat-api.md, "Sessions"). */
const FINAL = ['approved', 'rejected'];

export function explainingUnfinishedSessions(module: OperationModule): OperationModule {
	return {
		...module,
		async execute(itemIndex) {
			const outcome = await module.execute.call(this, itemIndex).then(
				(items) => ({ items }),
				(error: unknown) => ({ error }),
			);
			if ('items' in outcome) return outcome.items;
			throw await explained(this, itemIndex, outcome.error);
		},
	};
}

/** The failure as it came, or, when the file was missing because the session is not finished, that. */
async function explained(ctx: IExecuteFunctions, itemIndex: number, error: unknown) {
	const code = (error as NodeApiError).errorResponse?.identomatCode;
	if (!(error instanceof NodeApiError) || !NOT_THERE.includes(String(code))) return error;
	const result = await sessionResult(ctx, itemIndex);
	if (result === undefined || FINAL.includes(result)) return error;
	return unfinishedSessionError(errorPlace(ctx, itemIndex), result);
}

/** The session's `result`, or undefined when it cannot be read (e.g. there is no such session). */
async function sessionResult(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<string | undefined> {
	try {
		const sessionId = getSessionId(ctx, itemIndex);
		const answer = await callEndpoint<{ result?: unknown }>(ctx, 'sessionResult', {
			sessionId,
			itemIndex,
		});
		return typeof answer?.result === 'string' ? answer.result : undefined;
	} catch {
		return undefined;
	}
}
