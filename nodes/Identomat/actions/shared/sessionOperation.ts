import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { callEndpoint } from '../../../shared/api/call';
import type { JsonEndpoint, SessionEndpoint } from '../../../shared/api/endpoints';
import { errorPlace, unreadableAnswerError } from '../../../shared/transport';
import { sessionIdField } from './fields';
import { getSessionId } from './parameters';
import type { OperationModule, OperationOption } from './types';

/** The item an answer about one session belongs to. */
export interface AboutSession {
	ctx: IExecuteFunctions;
	itemIndex: number;
	sessionId: string;
	/** The error for an answer that is not in the documented shape, e.g. `it holds no summary`. */
	unreadable(what: string): Error;
}

/**
 * An operation about one session that Identomat answers with JSON: the item's Session ID read
 * (and checked), sent to the endpoint, the answer turned into output items by `toItems`.
 */
export function sessionOperation(
	option: OperationOption,
	endpoint: Extract<JsonEndpoint, SessionEndpoint>,
	spec: {
		toItems: (answer: unknown, about: AboutSession) => INodeExecutionData[];
		/** Its parameters beyond the Session ID. */
		properties?: INodeProperties[];
		/** A failure said in this operation's own words, where it has some. */
		explainFailure?: (error: unknown, about: AboutSession) => unknown;
	},
): OperationModule {
	return {
		option,
		endpoint,
		properties: [sessionIdField, ...(spec.properties ?? [])],
		async execute(itemIndex) {
			const sessionId = getSessionId(this, itemIndex);
			const about: AboutSession = {
				ctx: this,
				itemIndex,
				sessionId,
				unreadable: (what) => unreadableAnswerError(errorPlace(this, itemIndex), what),
			};
			const answer = await callEndpoint(this, endpoint, { sessionId, itemIndex }).catch(
				(error: unknown) => {
					throw spec.explainFailure ? spec.explainFailure(error, about) : error;
				},
			);
			return spec.toItems(answer, about);
		},
	};
}
