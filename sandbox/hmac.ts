/**
 * Identomat's HMAC scheme (docs/identomat-api.md, "HMAC"):
 * - JSON, url-encoded and query-string requests: base64(HMAC-SHA256(secret, exact body bytes)).
 * - multipart: chained over the parts' value bytes, text fields first then files (each in body
 *   order): d1 = HMAC(secret, part1), d2 = HMAC(d1, part2), ..., signature = base64(dN).
 * - responses: the same header, signed over the exact response body bytes.
 */
import crypto from 'node:crypto';

function hmac(key: string | Buffer, data: string | Buffer | Uint8Array) {
	return crypto.createHmac('sha256', key).update(data).digest();
}

/** base64 signature of one body. */
function signBody(secret: string, bytes: string | Buffer | Uint8Array) {
	return hmac(Buffer.from(secret, 'utf8'), bytes).toString('base64');
}

/**
 * Chained multipart signature. `parts` are the value bytes, already ordered text fields first,
 * then files. No parts: the signature of an empty body.
 */
function signParts(secret: string, parts: Array<string | Buffer | Uint8Array>) {
	if (parts.length === 0) return signBody(secret, Buffer.alloc(0));
	let key: Buffer = Buffer.from(secret, 'utf8');
	for (const part of parts) key = hmac(key, part);
	return key.toString('base64');
}

/** The header value as Identomat writes it. */
function authorizationHeader(signature: string) {
	return `signature="${signature}"`;
}

/**
 * Reads `signature="..."` out of an Authorization header.
 * @returns undefined: no header; null: unreadable
 */
function parseAuthorization(header: string | undefined): string | null | undefined {
	if (header === undefined || header === '') return undefined;
	const m = /^\s*signature="([^"]*)"\s*$/i.exec(header);
	return m ? m[1] : null;
}

/** Constant-time comparison of two base64 signatures. */
function sameSignature(a: string, b: string) {
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * Signs a body produced piece by piece (big videos, archives) without holding it.
 */
async function signStream(secret: string, chunks: AsyncIterable<Buffer>) {
	const h = crypto.createHmac('sha256', Buffer.from(secret, 'utf8'));
	for await (const chunk of chunks) h.update(chunk);
	return h.digest('base64');
}

export { signBody, signParts, signStream, authorizationHeader, parseAuthorization, sameSignature };
