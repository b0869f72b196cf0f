import type { IDataObject } from 'n8n-workflow';

import {
	badSignatureError,
	errorFromIdentomat,
	errorFromRedirect,
	errorFromStatus,
	type ErrorPlace,
	unreadableAnswerError,
} from './errors';
import { Retryable } from './request';
import { parseSignatureHeader, signaturesMatch, Signer } from './signing';

/**
 * Judging an answer: a redirect, a status worth another try, Identomat's error shapes (sent with
 * HTTP 200 too), and, with an HMAC secret, the signature over the bytes received.
 */

const TRANSIENT_STATUSES = [429, 502, 503, 504];

export type Answer = { kind: 'json'; value: unknown } | { kind: 'html' } | { kind: 'other' };

export function readAnswer(bytes: Buffer): Answer {
	const text = bytes.toString('utf8').trim();
	if (text.startsWith('<')) return { kind: 'html' };
	try {
		return { kind: 'json', value: JSON.parse(text) };
	} catch {
		return { kind: 'other' };
	}
}

/** Identomat's error shapes: `{"argumentError": …}`, `{"internalError": …}`, or a bare UPPER_CASE code string. */
function errorInAnswer(value: unknown): { code?: string; internal?: true } | undefined {
	if (typeof value === 'string')
		return /^[A-Z][A-Z0-9_]{2,}$/.test(value) ? { code: value } : undefined;
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
	const body = value as IDataObject;
	if (body.argumentError !== undefined && body.argumentError !== null)
		return { code: String(body.argumentError) };
	if (body.internalError !== undefined) return { internal: true };
	return undefined;
}

function header(headers: IDataObject, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? String(value[0]) : typeof value === 'string' ? value : undefined;
}

/** Seconds of a Retry-After header, as milliseconds. */
function retryAfterMs(headers: IDataObject): number | undefined {
	const seconds = Number(header(headers, 'retry-after'));
	return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/**
 * The whole answer judged: throws what it means for the user (or a `Retryable`), returns it read
 * when it is no error. A documented code explains more than a status; a status more than an
 * internal error.
 */
export function judge(
	place: ErrorPlace,
	url: string,
	status: number,
	headers: IDataObject,
	bytes: Buffer,
): Answer {
	if (status >= 300 && status < 400)
		throw errorFromRedirect(place, status, header(headers, 'location'), url);
	const answer = readAnswer(bytes);
	const bodyKind = answer.kind === 'json' ? 'json' : answer.kind;
	if (TRANSIENT_STATUSES.includes(status)) {
		throw new Retryable(
			(attempts) => errorFromStatus(place, status, bodyKind, attempts),
			retryAfterMs(headers),
		);
	}
	const error = answer.kind === 'json' ? errorInAnswer(answer.value) : undefined;
	if (error?.code !== undefined) throw errorFromIdentomat(place, { code: error.code }, status);
	if (status >= 400) throw errorFromStatus(place, status, bodyKind, 1);
	if (error?.internal) throw errorFromIdentomat(place, {}, status);
	return answer;
}

/**
 * The one signature check of an answer, whole or streamed: fed the bytes as they are read
 * (`update`), then `verify`. With no HMAC secret it checks nothing. Identomat signs every
 * success; only an error answer may come unsigned, so the caller judges the answer first and
 * verifies after, except that a signature that is there is checked before anything is read from
 * the answer (an altered answer could pass for an error, or for no JSON at all).
 */
export class AnswerSignature {
	private readonly received: string | undefined;
	private readonly signer: Signer | undefined;
	private digest: string | undefined;

	constructor(
		private readonly place: ErrorPlace,
		secret: string,
		headers: IDataObject,
	) {
		this.received = secret ? parseSignatureHeader(headers.authorization) : undefined;
		this.signer = secret ? new Signer(secret) : undefined;
	}

	/**
	 * The check of an answer read whole: its bytes fed, and a signature that is there checked at
	 * once; `verify` after judging the answer refuses a success that came unsigned.
	 */
	static ofWhole(place: ErrorPlace, secret: string, headers: IDataObject, bytes: Buffer) {
		const signature = new AnswerSignature(place, secret, headers);
		signature.update(bytes);
		signature.checkIfSigned();
		return signature;
	}

	update(chunk: Buffer) {
		this.signer?.update(chunk);
	}

	/** Throws when a signature came and does not match the bytes read; says nothing of a missing one. */
	checkIfSigned() {
		if (!this.signer || this.received === undefined) return;
		this.digest ??= this.signer.digest();
		if (!signaturesMatch(this.digest, this.received)) throw badSignatureError(this.place, false);
	}

	/** The one place an unsigned answer is refused (with a secret set). */
	refuseIfUnsigned() {
		if (this.signer && this.received === undefined) throw badSignatureError(this.place, true);
	}

	/** At the end of the answer: unsigned or not matching its bytes, it is refused. */
	verify() {
		this.refuseIfUnsigned();
		this.checkIfSigned();
	}
}

/** The answer's `Date` header: Identomat's clock when it answered (whole seconds). */
export function serverDateOf(headers: IDataObject): Date | undefined {
	const time = Date.parse(header(headers, 'date') ?? '');
	return Number.isFinite(time) ? new Date(time) : undefined;
}

export function contentTypeOf(headers: IDataObject): string | undefined {
	return header(headers, 'content-type');
}

/** Whether the first bytes of a download may be a JSON or HTML answer instead of a file. */
export function mayBeText(head: Buffer): boolean {
	const first = head.toString('utf8', 0, Math.min(head.length, 64)).trimStart()[0];
	return first === '{' || first === '"' || first === '[' || first === '<';
}

export function refuseTextAnswer(place: ErrorPlace): Error {
	return unreadableAnswerError(place, 'a text answer arrived where a file was expected');
}
