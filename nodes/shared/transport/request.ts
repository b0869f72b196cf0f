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
	/** Endpoint path as the reference names it (nodes/shared/api/endpoints.ts declares every one). */
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

/** What a call waits for: a data (JSON) answer, or a file that may be large. */
export type Wait = 'answer' | 'file';

/** A data answer: each try waits this long unless the Timeout option says otherwise… */
const ANSWER_TIMEOUT_MS = 30_000;
/** …and a read is tried again only while this much time (or one Timeout, if longer) has not passed. */
export const READ_DEADLINE_MS = 60_000;
/** A file: how long to wait for its answer, and then for each piece of it, however long the whole takes. */
const FILE_TIMEOUT_MS = 120_000;
/** Another try is not started with less time than this before the deadline. */
const MIN_TRY_MS = 1_000;

export interface Waits {
	/** How long one try waits for an answer (for a streamed file: for each piece). */
	tryMs: number;
	/** Since the first try: after this, no new try (files: none, their size sets their time). */
	deadlineMs: number;
}

/**
 * A failure that another try may cure (a dropped connection, a timeout, 429/502/503/504).
 * `final` gives the message to show when no try is left.
 */
export class Retryable extends Error {
	constructor(
		readonly final: (attempts: number, waitedMs: number) => Error,
		readonly waitMs?: number,
	) {
		super('Identomat could not be reached this time');
	}
}

/**
 * The one retry policy: `attempt` (a request and the reading of its whole answer, given how long
 * it may wait) is tried up to four times when it fails with a `Retryable`, but only for calls that
 * just read: a write that failed on the way may have happened, and is never sent twice. Waits
 * follow Retry-After, else 250 ms doubling; no try starts or runs past the deadline.
 */
export async function withRetries<T>(
	call: IdentomatCall,
	waits: Waits,
	attempt: (timeoutMs: number) => Promise<T>,
): Promise<T> {
	const started = Date.now();
	const waited = () => Date.now() - started;
	for (let attempts = 1; ; attempts++) {
		const outcome = await attempt(Math.min(waits.tryMs, waits.deadlineMs - waited())).then(
			(value) => ({ value }),
			(error: unknown) => ({ error }),
		);
		if (!('error' in outcome)) return outcome.value;
		const { error } = outcome;
		if (!(error instanceof Retryable)) throw error;
		const pause = Math.min(error.waitMs ?? 250 * 2 ** (attempts - 1), MAX_RETRY_WAIT_MS);
		const noTimeLeft = waited() + pause + MIN_TRY_MS > waits.deadlineMs;
		if (!call.readOnly || attempts >= MAX_ATTEMPTS || noTimeLeft)
			throw error.final(attempts, waited());
		await sleep(pause);
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

/**
 * What the node running the calls sets once per run: what it is doing, e.g. "Session → Get
 * Result" (the start of every message), and how long one try of an item waits (the action node's
 * Timeout option). The transport reads no node parameter itself.
 */
export interface RunSettings {
	action?: string;
	timeoutMs?: (itemIndex: number) => number | undefined;
}

const runSettings = new WeakMap<IdentomatContext, RunSettings>();

export function setRunSettings(ctx: IdentomatContext, settings: RunSettings) {
	runSettings.set(ctx, settings);
}

export function runSettingsOf(ctx: IdentomatContext): RunSettings {
	return runSettings.get(ctx) ?? {};
}

/**
 * How long a call waits. Data answers are small: a read that gets none fails within about a
 * minute, retries included. Files keep the longer wait, for each piece, however long the whole
 * takes. A timeout set for the run (the action node's Timeout option) is the wait of one try (or piece).
 */
export function waitsOf(ctx: IdentomatContext, call: IdentomatCall, wait: Wait): Waits {
	const chosen = call.timeoutMs ?? runSettingsOf(ctx).timeoutMs?.(call.itemIndex ?? 0);
	if (wait === 'file') return { tryMs: chosen ?? FILE_TIMEOUT_MS, deadlineMs: Infinity };
	const tryMs = chosen ?? ANSWER_TIMEOUT_MS;
	return { tryMs, deadlineMs: Math.max(READ_DEADLINE_MS, tryMs) };
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
	const final = (attempts: number, waitedMs = 0) =>
		errorFromNetwork(place, failure, host, attempts, waitedMs);
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
	wait: { for: Wait; timeoutMs: number },
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
				timeout: wait.timeoutMs,
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
		// No data answer in time: Identomat is not answering (a file may just be large).
		const silent = failure === 'timeout' && wait.for === 'answer';
		throw networkError(place, silent ? 'silent' : failure, new URL(url).host);
	}
}
