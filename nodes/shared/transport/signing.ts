import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Identomat's optional HMAC authorization (docs/identomat-api.md, "HMAC").
 * A request is signed over the exact bytes sent; a multipart request is signed as a chain over its
 * parts (text fields first, then files), each digest keying the next. Responses are signed the same
 * way as a plain body.
 */

function hmac(key: string | Buffer, data: Buffer | string): Buffer {
	return createHmac('sha256', key).update(data).digest();
}

/** Signature of one body, as sent or received. */
export function signBody(secret: string, body: Buffer | string): string {
	return hmac(secret, body).toString('base64');
}

/** Signature of a body that arrives in pieces (a streamed download), computed as they pass. */
export class Signer {
	private readonly hmac;

	constructor(secret: string) {
		this.hmac = createHmac('sha256', secret);
	}

	update(chunk: Buffer) {
		this.hmac.update(chunk);
	}

	digest(): string {
		return this.hmac.digest('base64');
	}
}

/** Chained signature of multipart parts, given in the order Identomat expects (text, then files). */
export function signParts(secret: string, parts: Array<Buffer | string>): string {
	let key: string | Buffer = secret;
	for (const part of parts) key = hmac(key, part);
	return Buffer.from(key as Buffer).toString('base64');
}

export function signatureHeaderValue(signature: string): string {
	return `signature="${signature}"`;
}

/** The base64 signature out of an `Authorization: signature="…"` header, if there is one. */
export function parseSignatureHeader(value: unknown): string | undefined {
	const text = Array.isArray(value) ? String(value[0]) : typeof value === 'string' ? value : '';
	const match = /signature="([^"]+)"/.exec(text);
	return match?.[1];
}

/** Constant-time comparison of two base64 signatures. */
export function signaturesMatch(expected: string, received: string | undefined): boolean {
	if (received === undefined) return false;
	const a = Buffer.from(expected);
	const b = Buffer.from(received);
	return a.length === b.length && timingSafeEqual(a, b);
}
