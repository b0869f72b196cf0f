import type { IDataObject } from 'n8n-workflow';
import { ApplicationError } from 'n8n-workflow';

import {
	callIdentomatDated,
	DIALECTS,
	downloadIdentomatFile,
	type FileAnswer,
	type IdentomatCall,
	type IdentomatContext,
	type UploadFile,
} from '../transport';
import { ENDPOINTS, type EndpointName, type FileEndpoint, type JsonEndpoint } from './endpoints';

/**
 * Calling an endpoint by name: the declaration (endpoints.ts) says where it is, how its session ID
 * travels and whether another try is safe; the request gives only what varies per call.
 */
export interface EndpointRequest {
	/** The session the call is about: required by the endpoints declared with `session`, refused by the others. */
	sessionId?: string;
	/** Other parameters, under the names the host expects (the company key is added by the credential). */
	fields?: IDataObject;
	/** The files of a multipart endpoint. */
	files?: UploadFile[];
	itemIndex?: number;
	/** Shown at the start of messages when the run set none, e.g. "Identomat Trigger → …". */
	action?: string;
	timeoutMs?: number;
}

/** The transport's call for one endpoint. A request that does not fit its declaration is a bug here, not bad input. */
export function callFor(name: EndpointName, request: EndpointRequest): IdentomatCall {
	const endpoint = ENDPOINTS[name];
	if (endpoint.session !== (request.sessionId !== undefined))
		throw new ApplicationError(
			`${name}: a session ID is ${endpoint.session ? 'required' : 'not taken'}`,
		);
	if ((endpoint.body === 'multipart') !== Boolean(request.files?.length))
		throw new ApplicationError(
			`${name}: files go only to multipart endpoints, and every one needs them`,
		);
	const session = endpoint.session
		? { [DIALECTS[endpoint.host].sessionField]: request.sessionId }
		: undefined;
	return {
		host: endpoint.host,
		path: endpoint.path,
		fields: { ...session, ...request.fields },
		files: request.files,
		readOnly: endpoint.retry === 'safe',
		itemIndex: request.itemIndex,
		action: request.action,
		timeoutMs: request.timeoutMs,
	};
}

/** A JSON endpoint's answer, checked for Identomat's error shapes and its signature. */
export async function callEndpoint<T = unknown>(
	ctx: IdentomatContext,
	name: JsonEndpoint,
	request: EndpointRequest = {},
): Promise<T> {
	return (await callIdentomatDated<T>(ctx, callFor(name, request))).answer;
}

/** The same, with Identomat's clock when it answered (its `Date` header) when it sent one. */
export async function callEndpointDated<T = unknown>(
	ctx: IdentomatContext,
	name: JsonEndpoint,
	request: EndpointRequest = {},
): Promise<{ answer: T; serverDate?: Date }> {
	return await callIdentomatDated<T>(ctx, callFor(name, request));
}

/**
 * A file endpoint's answer handed to `store`: read whole for a `file`, as it arrives for a
 * `largeFile` or an `archive` (never whole in memory).
 */
export async function downloadFromEndpoint<T>(
	ctx: IdentomatContext,
	name: FileEndpoint,
	request: EndpointRequest,
	store: (file: FileAnswer) => Promise<T>,
): Promise<T> {
	const mode = ENDPOINTS[name].returns === 'file' ? 'buffered' : 'streamed';
	return await downloadIdentomatFile(ctx, callFor(name, request), mode, store);
}

/** The `result` field of an API-host answer (some endpoints answer `{}` or `{ }` for success). */
export function resultOf<T = unknown>(answer: unknown): T {
	if (typeof answer === 'object' && answer !== null && 'result' in answer)
		return (answer as { result: T }).result;
	return answer as T;
}
