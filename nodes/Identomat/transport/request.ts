import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { baseUrlOf, type Host } from './dialect';
import { type ErrorPlace, errorFromNetwork, type NetworkFailure } from './errors';

/**
 * Sending: the request as Identomat expects it (JSON or multipart), sent through n8n's
 * `httpRequestWithAuthentication` (proxy, SSL settings, our credential's `authenticate`), and the
 * one retry policy every call goes through, downloads included.
 */

export type IdentomatContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export const CREDENTIAL_TYPE = 'identomatApi';

/** A file sent to Identomat in a multipart body. */
export interface UploadFile {
	field: string;
	data: Buffer;
	fileName: string;
	mimeType: string;
}

export interface IdentomatCall {
	host: Host;
	/** Endpoint path as the reference names it: `begin/` on the widget host, `list-groups` on the API host. */
	path: string;
	/** Parameters, under the names the host expects (the key is added by the credential). */
	fields?: IDataObject;
	/** Files to upload: the request becomes multipart. */
	files?: UploadFile[];
	/** Whether the call only reads: only those are tried again after a transient failure. */
	readOnly: boolean;
	itemIndex?: number;
	/** Shown at the start of messages, e.g. "Identomat Trigger → …"; in an action node run the router has set it. */
	action?: string;
	timeoutMs?: number;
}

/** The subset of a Node.js readable stream the transport needs (node code may not import `stream`). */
export interface ReadableBody {
	destroy(error?: Error): unknown;
	[Symbol.asyncIterator](): AsyncIterator<Buffer>;
}

export interface RawAnswer<T> {
	status: number;
	headers: IDataObject;
	body: T;
}

export const MAX_ATTEMPTS = 4;
const MAX_RETRY_WAIT_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * A failure that another try may cure (a dropped connection, a timeout, 429/502/503/504).
 * `final` gives the message to show when no try is left.
 */
export class Retryable extends Error {
	constructor(
		readonly final: (attempts: number) => Error,
		readonly waitMs?: number,
	) {
		super('Identomat could not be reached this time');
	}
}

/**
 * The one retry policy: `attempt` (a request and the reading of its whole answer) is tried up to
 * four times when it fails with a `Retryable`, but only for calls that just read: a write that
 * failed on the way may have happened, and is never sent twice. Waits follow Retry-After, else
 * 250 ms doubling.
 */
export async function withRetries<T>(call: IdentomatCall, attempt: () => Promise<T>): Promise<T> {
	for (let attempts = 1; ; attempts++) {
		const outcome = await attempt().then(
			(value) => ({ value }),
			(error: unknown) => ({ error }),
		);
		if (!('error' in outcome)) return outcome.value;
		const { error } = outcome;
		if (!(error instanceof Retryable)) throw error;
		if (!call.readOnly || attempts >= MAX_ATTEMPTS) throw error.final(attempts);
		await sleep(Math.min(error.waitMs ?? 250 * 2 ** (attempts - 1), MAX_RETRY_WAIT_MS));
	}
}

const credentialsCache = new WeakMap<IdentomatContext, Promise<ICredentialDataDecryptedObject>>();

/**
 * The credential's data, read once per node run (n8n makes one context per run). n8n's own
 * `httpRequestWithAuthentication` would read and decrypt it for every request.
 */
export async function identomatCredentials(
	ctx: IdentomatContext,
): Promise<ICredentialDataDecryptedObject> {
	let credentials = credentialsCache.get(ctx);
	if (!credentials) {
		credentials = (ctx as IExecuteFunctions).getCredentials<ICredentialDataDecryptedObject>(
			CREDENTIAL_TYPE,
			0,
		);
		credentialsCache.set(ctx, credentials);
		credentials.catch(() => credentialsCache.delete(ctx));
	}
	return await credentials;
}

/** The credential already read, in the shape n8n's helper takes instead of reading it again. */
function decrypted(
	ctx: IdentomatContext,
	data: ICredentialDataDecryptedObject,
): ICredentialsDecrypted {
	const chosen = ctx.getNode().credentials?.[CREDENTIAL_TYPE];
	return {
		id: chosen?.id ?? '',
		name: chosen?.name ?? CREDENTIAL_TYPE,
		type: CREDENTIAL_TYPE,
		data: { ...data },
	};
}

function buildBody(call: IdentomatCall): IHttpRequestOptions['body'] {
	if (!call.files?.length) return { ...(call.fields ?? {}) };
	const form = new FormData();
	for (const [name, value] of Object.entries(call.fields ?? {})) {
		if (value === undefined || value === null) continue;
		form.append(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
	}
	for (const file of call.files) {
		// A Buffer from n8n sits on a plain ArrayBuffer: the Blob copies it once, no copy before that.
		form.append(
			file.field,
			new Blob([file.data as Uint8Array<ArrayBuffer>], { type: file.mimeType }),
			file.fileName,
		);
	}
	return form;
}

/** How long to wait for an answer, and for each piece of a streamed one. */
export function timeoutMs(ctx: IdentomatContext, call: IdentomatCall): number {
	return call.timeoutMs ?? timeoutOptionMs(ctx, call.itemIndex) ?? DEFAULT_TIMEOUT_MS;
}

/** The node's "Request Options → Timeout (Seconds)", in an action node run; none in triggers and pickers. */
export function timeoutOptionMs(ctx: IdentomatContext, itemIndex = 0): number | undefined {
	if (typeof (ctx as IExecuteFunctions).getInputData !== 'function') return undefined;
	try {
		const seconds = Number(
			(ctx as IExecuteFunctions).getNodeParameter('requestOptions.timeout', itemIndex, 0),
		);
		return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
	} catch {
		return undefined;
	}
}

/** What an exception from the HTTP client or a live answer says about the connection, if anything. */
export function networkFailureOf(error: unknown): NetworkFailure | 'cancelled' | undefined {
	const codes: string[] = [];
	const messages: string[] = [];
	let current = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string') codes.push(current.code);
		if (typeof current.message === 'string') messages.push(current.message);
		current = current.cause as typeof current;
	}
	const text = messages.join(' ').toLowerCase();
	if (codes.includes('ERR_CANCELED') || text.includes('canceled')) return 'cancelled';
	if (codes.includes('ECONNREFUSED')) return 'refused';
	if (codes.some((c) => c === 'ENOTFOUND' || c === 'EAI_AGAIN')) return 'dns';
	if (
		codes.some((c) => c === 'ETIMEDOUT' || c === 'ECONNABORTED' || c === 'ESOCKETTIMEDOUT') ||
		text.includes('timeout')
	) {
		return 'timeout';
	}
	if (text.includes('aborted') || codes.includes('ERR_STREAM_PREMATURE_CLOSE')) return 'truncated';
	if (codes.some((c) => c === 'ECONNRESET' || c === 'EPIPE') || text.includes('socket hang up'))
		return 'reset';
	if (codes.some((c) => c.startsWith('ERR_TLS') || c.includes('CERT'))) return 'tls';
	if (codes.length || text) return 'other';
	return undefined;
}

/** A network failure as the message to show, retryable unless another try cannot help (DNS, TLS). */
export function networkError(place: ErrorPlace, failure: NetworkFailure, host: string): Error {
	const final = (attempts: number) => errorFromNetwork(place, failure, host, attempts);
	return failure === 'dns' || failure === 'tls' ? final(1) : new Retryable(final);
}

/**
 * One request through n8n's helper, redirects not followed (a POST redirect would carry the
 * company key elsewhere). The answer comes back whole (Buffer) or live (stream), whatever its
 * status: Identomat signals errors in 200 answers, so the caller judges it.
 */
export async function exchange<T extends Buffer | ReadableBody>(
	ctx: IdentomatContext,
	call: IdentomatCall,
	place: ErrorPlace,
	encoding: 'arraybuffer' | 'stream',
): Promise<RawAnswer<T>> {
	const credentials = await identomatCredentials(ctx);
	const url = `${baseUrlOf(credentials, call.host)}/${call.path}`;
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CREDENTIAL_TYPE,
			{
				method: 'POST',
				url,
				body: buildBody(call),
				encoding,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				timeout: timeoutMs(ctx, call),
			},
			{ credentialsDecrypted: decrypted(ctx, credentials) },
		)) as IN8nHttpFullResponse & { body: T };
		return { status: response.statusCode, headers: response.headers, body: response.body };
	} catch (error) {
		const failure = networkFailureOf(error);
		const raisedBeforeSending =
			failure === 'other' && !(error as { cause?: { code?: string } }).cause?.code;
		if (failure === 'cancelled' || failure === undefined || raisedBeforeSending) {
			// A cancelled execution, or a message from the credential: passed on as it is
			// (NodeApiError hands back an error that already is one).
			throw new NodeApiError(ctx.getNode(), error as JsonObject);
		}
		throw networkError(place, failure, new URL(url).host);
	}
}
