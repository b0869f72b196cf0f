// @ts-check
'use strict';
/**
 * Identomat's HMAC scheme (docs/identomat-api.md, "HMAC"):
 * - JSON, url-encoded and query-string requests: base64(HMAC-SHA256(secret, exact body bytes)).
 * - multipart: chained over the parts' value bytes, text fields first then files (each in body
 *   order): d1 = HMAC(secret, part1), d2 = HMAC(d1, part2), ..., signature = base64(dN).
 * - responses: the same header, signed over the exact response body bytes.
 */
const crypto = require('node:crypto');

/** @param {string|Buffer} key @param {string|Buffer|Uint8Array} data */
function hmac(key, data) {
	return crypto.createHmac('sha256', key).update(data).digest();
}

/** base64 signature of one body. @param {string} secret @param {string|Buffer|Uint8Array} bytes */
function signBody(secret, bytes) {
	return hmac(Buffer.from(secret, 'utf8'), bytes).toString('base64');
}

/**
 * Chained multipart signature. `parts` are the value bytes, already ordered text fields first,
 * then files. No parts: the signature of an empty body.
 * @param {string} secret @param {Array<string|Buffer|Uint8Array>} parts
 */
function signParts(secret, parts) {
	if (parts.length === 0) return signBody(secret, Buffer.alloc(0));
	/** @type {Buffer} */
	let key = Buffer.from(secret, 'utf8');
	for (const part of parts) key = hmac(key, part);
	return key.toString('base64');
}

/** The header value as Identomat writes it. @param {string} signature */
function authorizationHeader(signature) {
	return `signature="${signature}"`;
}

/**
 * Reads `signature="..."` out of an Authorization header.
 * @param {string|undefined} header @returns {string|null|undefined} undefined: no header; null: unreadable
 */
function parseAuthorization(header) {
	if (header === undefined || header === '') return undefined;
	const m = /^\s*signature="([^"]*)"\s*$/i.exec(header);
	return m ? m[1] : null;
}

/** Constant-time comparison of two base64 signatures. @param {string} a @param {string} b */
function sameSignature(a, b) {
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * Signs a body produced piece by piece (big videos, archives) without holding it.
 * @param {string} secret @param {AsyncIterable<Buffer>} chunks
 */
async function signStream(secret, chunks) {
	const h = crypto.createHmac('sha256', Buffer.from(secret, 'utf8'));
	for await (const chunk of chunks) h.update(chunk);
	return h.digest('base64');
}

module.exports = { signBody, signParts, signStream, authorizationHeader, parseAuthorization, sameSignature };
