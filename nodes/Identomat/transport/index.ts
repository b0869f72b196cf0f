import type {
	ICredentialsDecrypted,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { baseUrlOf, DIALECTS, type Host } from './dialect';
import {
	badSignatureError,
	errorFromIdentomat,
	errorFromNetwork,
	errorFromRedirect,
	errorFromStatus,
	type ErrorPlace,
	type NetworkFailure,
	unreadableAnswerError,
} from './errors';
import { parseSignatureHeader, signaturesMatch, signBody, signChunks } from './signing';

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
	/** Whether the call only reads: only those are retried after a transient failure. */
	readOnly: boolean;
	itemIndex?: number;
	/** Shown at the start of messages, e.g. "Identomat Trigger → …"; in an action node run the router has set it. */
	action?: string;
	timeoutMs?: number;
}

/** Raw answer of a download: a Buffer, or the live response stream for large files. */
export interface Download<T> {
	data: T;
	contentType: string | undefined;
	/** The first bytes of the body, to sniff the real file type from. */
	head: Buffer;
}

/** The subset of a Node.js readable stream the transport needs (no `stream` import in nodes). */
export interface ReadableBody {
	read(size?: number): Buffer | null;
	unshift(chunk: Buffer): void;
	once(event: string, listener: (...args: unknown[]) => void): unknown;
	removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
	destroy(error?: Error): unknown;
	readableEnded: boolean;
	[Symbol.asyncIterator](): AsyncIterableIterator<Buffer>;
}

const MAX_ATTEMPTS = 4;
const MAX_RETRY_WAIT_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 120_000;
const TRANSIENT_STATUSES = [429, 502, 503, 504];
const HEAD_BYTES = 512;

export function sessionFields(host: Host, sessionId: string): IDataObject {
	return { [DIALECTS[host].sessionField]: sessionId };
}

const actionLabels = new WeakMap<IdentomatContext, string>();

/** What this node run does, e.g. "Session → Get Result": the messages of its calls begin with it. */
export function setActionLabel(ctx: IdentomatContext, label: string) {
	actionLabels.set(ctx, label);
}

/** Where a message is about: the node, the item, and what was being done. */
export function errorPlace(ctx: IdentomatContext, itemIndex?: number, action?: string): ErrorPlace {
	return { node: ctx.getNode(), itemIndex, action: action ?? actionLabels.get(ctx) };
}

function placeOf(ctx: IdentomatContext, call: IdentomatCall): ErrorPlace {
	return errorPlace(ctx, call.itemIndex, call.action);
}

const credentialsCache = new WeakMap<IdentomatContext, Promise<ICredentialDataDecryptedObject>>();

/**
 * The credential's data, read once per node run (n8n makes one context per run). n8n's own
 * `httpRequestWithAuthentication` reads the credential for the first item too.
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

function networkFailureOf(error: unknown): NetworkFailure | 'cancelled' | undefined {
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

function retryDelayMs(attempt: number, retryAfter: unknown): number {
	const seconds = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
	if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_RETRY_WAIT_MS);
	return Math.min(250 * 2 ** (attempt - 1), MAX_RETRY_WAIT_MS);
}

/**
 * Sends one call, with bounded retries for read-only calls on 429/502/503/504 and dropped
 * connections. Answers come back whole (Buffer) or as a live stream, always with the status:
 * Identomat signals errors in 200 answers, so the caller judges the body.
 */
async function send<T extends Buffer | ReadableBody>(
	ctx: IdentomatContext,
	call: IdentomatCall,
	encoding: 'arraybuffer' | 'stream',
): Promise<{
	response: IN8nHttpFullResponse & { body: T };
	attempts: number;
	credentials: ICredentialDataDecryptedObject;
}> {
	const credentials = await identomatCredentials(ctx);
	const url = `${baseUrlOf(credentials, call.host)}/${call.path}`;
	const place = placeOf(ctx, call);
	for (let attempt = 1; ; attempt++) {
		const canRetry = call.readOnly && attempt < MAX_ATTEMPTS;
		let response: IN8nHttpFullResponse & { body: T };
		try {
			response = (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				CREDENTIAL_TYPE,
				{
					method: 'POST',
					url,
					body: buildBody(call),
					encoding,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					// Like n8n's HTTP Request node for POST: a redirect would resend the body (the
					// company key) elsewhere, and never means anything good here (see errorFromStatus).
					disableFollowRedirect: true,
					timeout: call.timeoutMs ?? timeoutOptionMs(ctx, call.itemIndex) ?? DEFAULT_TIMEOUT_MS,
				},
				// The credential already read for this run: n8n would otherwise load and decrypt it
				// again for every request.
				{ credentialsDecrypted: decrypted(ctx, credentials) },
			)) as IN8nHttpFullResponse & { body: T };
		} catch (error) {
			const failure = networkFailureOf(error);
			const raisedBeforeSending =
				failure === 'other' && !(error as { cause?: { code?: string } }).cause?.code;
			if (failure === 'cancelled' || failure === undefined || raisedBeforeSending) {
				// A cancelled execution, or a message from the credential: passed on as it is
				// (NodeApiError hands back an error that already is one).
				throw new NodeApiError(ctx.getNode(), error as JsonObject);
			}
			if (canRetry && failure !== 'dns' && failure !== 'tls') {
				await sleep(retryDelayMs(attempt, undefined));
				continue;
			}
			throw errorFromNetwork(place, failure, new URL(url).host, attempt);
		}
		if (response.statusCode >= 300 && response.statusCode < 400) {
			discard(response.body);
			throw errorFromRedirect(
				place,
				response.statusCode,
				headerText(response.headers.location),
				url,
			);
		}
		if (TRANSIENT_STATUSES.includes(response.statusCode) && canRetry) {
			discard(response.body);
			await sleep(retryDelayMs(attempt, response.headers['retry-after']));
			continue;
		}
		return { response, attempts: attempt, credentials };
	}
}

/** The node's "Request Options → Timeout (Seconds)", in an action node run; none in triggers and pickers. */
function timeoutOptionMs(ctx: IdentomatContext, itemIndex = 0): number | undefined {
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

function discard(body: Buffer | ReadableBody) {
	if (!Buffer.isBuffer(body)) body.destroy();
}

type Answer = { kind: 'json'; value: unknown } | { kind: 'html' } | { kind: 'other' };

function readAnswer(bytes: Buffer): Answer {
	const text = bytes.toString('utf8').trim();
	if (text.startsWith('<')) return { kind: 'html' };
	try {
		return { kind: 'json', value: JSON.parse(text) };
	} catch {
		return { kind: 'other' };
	}
}

/** Identomat's error shapes: `{"argumentError": …}`, `{"internalError": …}`, or a bare UPPER_CASE code string. */
function errorInAnswer(value: unknown): { code?: string; internal?: string } | undefined {
	if (typeof value === 'string')
		return /^[A-Z][A-Z0-9_]{2,}$/.test(value) ? { code: value } : undefined;
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
	const body = value as IDataObject;
	if (typeof body.argumentError === 'string') return { code: body.argumentError };
	if (body.internalError !== undefined) return { internal: String(body.internalError) };
	return undefined;
}

function failIfNotOk(
	place: ErrorPlace,
	status: number,
	bytes: Buffer,
	attempts: number,
	secrets: string[],
) {
	const answer = readAnswer(bytes);
	const error = answer.kind === 'json' ? errorInAnswer(answer.value) : undefined;
	// A documented code explains more than a status; a status explains more than an internal error text.
	if (error?.code) throw errorFromIdentomat(place, error, status);
	if (status >= 400)
		throw errorFromStatus(place, status, answer.kind === 'json' ? 'json' : answer.kind, attempts);
	if (error)
		throw errorFromIdentomat(place, { internal: redact(error.internal ?? '', secrets) }, status);
	return answer;
}

function verifySignature(
	place: ErrorPlace,
	credentials: ICredentialDataDecryptedObject,
	headers: IDataObject,
	body: Buffer,
) {
	const secret = String(credentials.secretKey ?? '');
	if (!secret) return;
	const received = parseSignatureHeader(headers.authorization);
	if (!signaturesMatch(signBody(secret, body), received))
		throw badSignatureError(place, received === undefined);
}

function secretsOf(credentials: ICredentialDataDecryptedObject): string[] {
	return [credentials.apiKey, credentials.secretKey]
		.map((v) => String(v ?? ''))
		.filter((v) => v.length >= 4);
}

/** Removes the company key and the HMAC secret from a text that came from outside. */
export function redact(text: string, secrets: string[]): string {
	return secrets.reduce((out, secret) => out.split(secret).join('***'), text);
}

/** A JSON call: returns the parsed answer after checking it for Identomat's error shapes and its signature. */
export async function callIdentomat<T = unknown>(
	ctx: IdentomatContext,
	call: IdentomatCall,
): Promise<T> {
	return (await callIdentomatDated<T>(ctx, call)).answer;
}

/**
 * A JSON call, with the time on Identomat's clock when it answered: its `Date` header (whole
 * seconds, rounded down), when it sent a readable one.
 */
export async function callIdentomatDated<T = unknown>(
	ctx: IdentomatContext,
	call: IdentomatCall,
): Promise<{ answer: T; serverDate?: Date }> {
	const place = placeOf(ctx, call);
	const { response, attempts, credentials } = await send<Buffer>(ctx, call, 'arraybuffer');
	const bytes = Buffer.from(response.body);
	const answer = failIfNotOk(place, response.statusCode, bytes, attempts, secretsOf(credentials));
	if (answer.kind !== 'json') throw unreadableAnswerError(place, 'it is not JSON');
	verifySignature(place, credentials, response.headers, bytes);
	const date = Date.parse(headerText(response.headers.date) ?? '');
	return {
		answer: answer.value as T,
		serverDate: Number.isFinite(date) ? new Date(date) : undefined,
	};
}

/** The `result` field of an API-host answer (some endpoints answer `{}` or `{ }` for success). */
export function resultOf<T = unknown>(answer: unknown): T {
	if (typeof answer === 'object' && answer !== null && 'result' in answer)
		return (answer as { result: T }).result;
	return answer as T;
}

function looksLikeJson(head: Buffer): boolean {
	const first = head.toString('utf8').trimStart()[0];
	return first === '{' || first === '"' || first === '[' || first === '<';
}

/** A file download held in memory: images, PDFs. */
export async function downloadIdentomatFile(
	ctx: IdentomatContext,
	call: IdentomatCall,
): Promise<Download<Buffer>> {
	const place = placeOf(ctx, call);
	const { response, attempts, credentials } = await send<Buffer>(ctx, call, 'arraybuffer');
	const bytes = Buffer.from(response.body);
	if (response.statusCode >= 400 || looksLikeJson(bytes.subarray(0, HEAD_BYTES))) {
		failIfNotOk(place, response.statusCode, bytes, attempts, secretsOf(credentials));
	}
	if (bytes.length === 0) throw unreadableAnswerError(place, 'the file is empty');
	verifySignature(place, credentials, response.headers, bytes);
	return {
		data: bytes,
		contentType: headerText(response.headers['content-type']),
		head: bytes.subarray(0, HEAD_BYTES),
	};
}

/**
 * A large download (videos, archives) as a live stream, never held whole in memory. Its first bytes
 * are read ahead (and put back) to tell a file from an error answer. The signature, when a secret
 * is set, is checked by the caller over the stored file with `verifyDownloadedSignature`.
 */
export async function streamIdentomatFile(
	ctx: IdentomatContext,
	call: IdentomatCall,
): Promise<Download<ReadableBody> & { signature?: { secret: string; received?: string } }> {
	const place = placeOf(ctx, call);
	const { response, attempts, credentials } = await send<ReadableBody>(ctx, call, 'stream');
	const stream = response.body;
	const head = await readHead(stream, HEAD_BYTES);
	if (response.statusCode >= 400 || looksLikeJson(head)) {
		const whole = await readAll(stream, head, 1024 * 1024);
		failIfNotOk(place, response.statusCode, whole, attempts, secretsOf(credentials));
		throw unreadableAnswerError(place, 'a text answer arrived where a file was expected');
	}
	if (head.length === 0) throw unreadableAnswerError(place, 'the file is empty');
	stream.unshift(head);
	const secret = String(credentials.secretKey ?? '');
	return {
		data: stream,
		contentType: headerText(response.headers['content-type']),
		head,
		signature: secret
			? { secret, received: parseSignatureHeader(response.headers.authorization) }
			: undefined,
	};
}

/** Checks a streamed download's signature against its bytes, read back from where n8n stored them. */
export async function verifyDownloadedSignature(
	ctx: IdentomatContext,
	call: IdentomatCall,
	signature: { secret: string; received?: string } | undefined,
	chunks: AsyncIterable<Buffer>,
) {
	if (!signature) return;
	if (!signaturesMatch(await signChunks(signature.secret, chunks), signature.received)) {
		throw badSignatureError(placeOf(ctx, call), signature.received === undefined);
	}
}

function headerText(value: unknown): string | undefined {
	return Array.isArray(value) ? String(value[0]) : typeof value === 'string' ? value : undefined;
}

/** Reads at least `size` bytes (or to the end) from a stream without consuming past what it returns. */
async function readHead(stream: ReadableBody, size: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let length = 0;
	while (length < size) {
		const chunk = stream.read();
		if (chunk) {
			chunks.push(chunk);
			length += chunk.length;
			continue;
		}
		if (stream.readableEnded) break;
		const ended = await new Promise<boolean>((resolve, reject) => {
			const onReadable = () => done(false);
			const onEnd = () => done(true);
			const onError = (error: unknown) => {
				cleanup();
				reject(error);
			};
			const cleanup = () => {
				stream.removeListener('readable', onReadable);
				stream.removeListener('end', onEnd);
				stream.removeListener('error', onError);
			};
			const done = (value: boolean) => {
				cleanup();
				resolve(value);
			};
			stream.once('readable', onReadable);
			stream.once('end', onEnd);
			stream.once('error', onError);
		});
		if (ended) break;
	}
	return Buffer.concat(chunks);
}

async function readAll(stream: ReadableBody, head: Buffer, limit: number): Promise<Buffer> {
	const chunks = [head];
	let length = head.length;
	for await (const chunk of stream) {
		chunks.push(chunk);
		length += chunk.length;
		if (length > limit) {
			stream.destroy();
			break;
		}
	}
	return Buffer.concat(chunks);
}
