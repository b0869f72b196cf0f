/** Shared building blocks: answers, ids and parameter readers. */
import crypto from 'node:crypto';
import type { Answer, Source } from './types.ts';

const JSON_TYPE = 'application/json; charset=utf-8';

function json(value: unknown, opts: { error?: boolean; status?: number; } = {}): Answer {
	return { status: opts.status ?? 200, type: JSON_TYPE, body: Buffer.from(JSON.stringify(value)), error: !!opts.error };
}

/** `{"argumentError": code, ...extra}` with HTTP 200, as Identomat answers. */
function argumentError(code: string, extra?: object) {
	return json({ argumentError: code, ...extra }, { error: true });
}

/** A bare JSON string error code, e.g. "COMPANY_KEY_INVALID", "INVALID_IMAGE". */
function bareError(code: string) {
	return json(code, { error: true });
}

function internalError(message: string) {
	return json({ internalError: message }, { error: true });
}

function binary(body: Buffer, type: string): Answer {
	return { status: 200, type, body };
}

function streamed(source: Source, type: string): Answer {
	return { status: 200, type, source };
}

function html(status: number, html: string, headers?: Record<string, string>): Answer {
	return { status, type: 'text/html; charset=utf-8', body: Buffer.from(html), error: status >= 400, headers };
}

const NOT_FOUND_PAGE = (method: string, path: string) =>
	html(
		404,
		`<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${escapeHtml(method)} ${escapeHtml(path)}</pre>\n</body>\n</html>\n`,
	);

function escapeHtml(s: string) {
	return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

let counter = crypto.randomInt(0, 0xffffff);
const machine = crypto.randomBytes(5).toString('hex');
/** A 24-hex id shaped like a MongoDB ObjectId (time, random, counter), as Identomat's ids are. */
function objectId(date = new Date()) {
	counter = (counter + 1) & 0xffffff;
	return (
		Math.floor(date.getTime() / 1000)
			.toString(16)
			.padStart(8, '0') +
		machine +
		counter.toString(16).padStart(6, '0')
	);
}

/** A session token: 40 characters of [0-9a-z]. */
function sessionToken() {
	const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
	const bytes = crypto.randomBytes(40);
	let s = '';
	for (const b of bytes) s += alphabet[b % 36];
	return s;
}

/** 32 hex characters, as the document-reading `requestId`s. */
function requestId() {
	return crypto.randomBytes(16).toString('hex');
}

/** A non-empty string field, or undefined. */
function str(v: unknown) {
	return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * An optional non-negative integer (numbers, or digit strings from forms).
 * Returns `fallback` when absent, NaN when present but unusable.
 */
function optionalCount(v: unknown, fallback: number) {
	if (v === undefined || v === null || v === '') return fallback;
	const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
	return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : NaN;
}

/** An ISO-8601-ish date string parsed, or undefined when absent, or null when unreadable. */
function optionalDate(v: unknown) {
	if (v === undefined || v === null || v === '') return undefined;
	if (typeof v !== 'string') return null;
	const t = Date.parse(v);
	return Number.isNaN(t) ? null : new Date(t);
}

/** Deterministic pseudo-random numbers (mulberry32). */
function prng(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function sha256(data: string | Buffer) {
	return crypto.createHash('sha256').update(data).digest('hex');
}

export {
	JSON_TYPE,
	json,
	argumentError,
	bareError,
	internalError,
	binary,
	streamed,
	html,
	NOT_FOUND_PAGE,
	escapeHtml,
	objectId,
	sessionToken,
	requestId,
	str,
	isObject,
	optionalCount,
	optionalDate,
	prng,
	sha256,
};
