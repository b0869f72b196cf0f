// @ts-check
'use strict';
/**
 * The HTTP layer: routing by host prefix, body parsing (JSON, url-encoded, multipart, query),
 * the request log, injected faults, HMAC checks and response signing, and sending bodies
 * (whole or streamed, with backpressure).
 *
 *   /widget/external-api/<path>   widget host (company_key, session_token; paths end with '/')
 *   /api/<path>                   API host (companyKey, sessionId; JSON; no trailing '/')
 *   /__sandbox/<path>             control endpoints (JSON, no key)
 *   /?session_token=<id>          the widget page a person opens (also /widget/?session_token=)
 */
const http = require('node:http');
const crypto = require('node:crypto');
const { parseMultipart } = require('./multipart');
const hmac = require('./hmac');
const { BEFORE_HANDLER } = require('./faults');
const { json, argumentError, internalError, html, NOT_FOUND_PAGE, str, isObject } = require('./util');

/** @typedef {import('./util').Answer} Answer */

const MAX_BODY = 64 * 1024 * 1024;

/** @param {string} pathname @returns {{ host: 'widget'|'api'|'control'|'page', path: string }} */
function classify(pathname) {
	for (const [prefix, host] of /** @type {const} */ ([
		['/widget/external-api', 'widget'],
		['/api', 'api'],
		['/__sandbox', 'control'],
	])) {
		if (pathname === prefix) return { host, path: '' };
		if (pathname.startsWith(`${prefix}/`)) return { host, path: pathname.slice(prefix.length + 1) };
	}
	return { host: 'page', path: pathname.slice(1) };
}

/** @param {http.IncomingMessage} req @returns {Promise<Buffer|null>} null when over MAX_BODY */
function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (/** @type {Buffer} */ c) => {
			size += c.length;
			if (size <= MAX_BODY) chunks.push(c);
		});
		req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/** Repeated names become arrays. @param {Record<string, any>} fields @param {string} name @param {string} value */
function addField(fields, name, value) {
	if (!(name in fields)) fields[name] = value;
	else if (Array.isArray(fields[name])) fields[name].push(value);
	else fields[name] = [fields[name], value];
}

/**
 * @typedef {{ field: string, filename: string, contentType: string, data: Buffer }} UploadedFile
 * @typedef {{ encoding: 'json'|'multipart'|'urlencoded'|'query'|'none', contentType: string|null,
 *   fields: Record<string, any>, files: UploadedFile[], signed: Buffer[]|Buffer, parseError: boolean }} ParsedBody
 */

/** @param {http.IncomingMessage} req @param {Buffer} raw @returns {ParsedBody} */
function parseBody(req, raw) {
	const contentType = req.headers['content-type'] ?? null;
	const ct = (contentType ?? '').toLowerCase();
	const q = (req.url ?? '').indexOf('?');
	const rawQuery = q >= 0 ? (req.url ?? '').slice(q + 1) : '';
	/** @type {ParsedBody} */
	const out = { encoding: 'none', contentType, fields: {}, files: [], signed: raw, parseError: false };
	if (raw.length === 0) {
		if (rawQuery) {
			out.encoding = 'query';
			out.signed = Buffer.from(rawQuery, 'latin1');
			for (const [k, v] of new URLSearchParams(rawQuery)) addField(out.fields, k, v);
		}
		return out;
	}
	if (/^multipart\/form-data\b/.test(ct)) {
		out.encoding = 'multipart';
		try {
			const parts = parseMultipart(raw, contentType ?? '');
			const text = [];
			const files = [];
			for (const p of parts) {
				if (p.filename === undefined) {
					addField(out.fields, p.name, p.data.toString('utf8'));
					text.push(p.data);
				} else {
					out.files.push({ field: p.name, filename: p.filename, contentType: p.contentType ?? 'application/octet-stream', data: p.data });
					files.push(p.data);
				}
			}
			out.signed = [...text, ...files];
		} catch {
			out.parseError = true;
			out.signed = [];
		}
	} else if (/^application\/x-www-form-urlencoded\b/.test(ct)) {
		out.encoding = 'urlencoded';
		for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) addField(out.fields, k, v);
	} else if (/\bjson\b/.test(ct)) {
		out.encoding = 'json';
		try {
			const value = JSON.parse(raw.toString('utf8'));
			if (isObject(value)) out.fields = value;
			else out.parseError = true;
		} catch {
			out.parseError = true;
		}
	}
	return out;
}

/**
 * 'valid' | 'invalid' | 'missing', or null without a secret.
 * @param {string|undefined} secret @param {http.IncomingMessage} req @param {ParsedBody} body
 */
function checkSignature(secret, req, body) {
	if (!secret) return null;
	const given = hmac.parseAuthorization(req.headers.authorization);
	if (given === undefined) return 'missing';
	if (given === null) return 'invalid';
	const expected = Array.isArray(body.signed) ? hmac.signParts(secret, body.signed) : hmac.signBody(secret, body.signed);
	return hmac.sameSignature(given, expected) ? 'valid' : 'invalid';
}

/** @param {any} sb @param {number} ms */
function sleep(sb, ms) {
	return new Promise((resolve) => {
		const t = setTimeout(() => {
			sb.timers.delete(t);
			resolve(undefined);
		}, ms);
		sb.timers.add(t);
	});
}

/** @param {http.ServerResponse} res */
function drained(res) {
	return new Promise((resolve) => {
		const done = () => {
			res.off('drain', done);
			res.off('close', done);
			resolve(undefined);
		};
		res.on('drain', done);
		res.on('close', done);
	});
}

/** @param {any} sb @param {Answer} answer */
async function responseSignature(sb, answer) {
	const secret = sb.options.secretKey;
	if (answer.body) return hmac.signBody(secret, answer.body);
	const source = /** @type {import('./util').Source} */ (answer.source);
	const key = source.cacheKey;
	if (key && sb.digestCache.has(key)) return sb.digestCache.get(key);
	const sig = await hmac.signStream(secret, source.open());
	if (key) sb.digestCache.set(key, sig);
	return sig;
}

/**
 * Sends an answer. `truncate`: headers with the real Content-Length, `cutAt` bytes of the body
 * (default half), then the socket is destroyed. `stall`: headers, `cutAt` bytes (default 0), then
 * silence.
 * @param {any} sb @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {any} entry
 * `drip`: the body in pieces of `bytes`, `delayMs` apart.
 * @param {Answer} answer @param {{ sign?: boolean, truncate?: boolean, stall?: boolean, cutAt?: number, drip?: { bytes: number, delayMs: number } }} [opts]
 */
async function send(sb, req, res, entry, answer, opts = {}) {
	if (res.destroyed) return;
	const length = answer.body ? answer.body.length : /** @type {any} */ (answer.source).length;
	/** @type {Record<string, string|number>} */
	const headers = { 'Content-Type': answer.type, 'Content-Length': length, ...answer.headers };
	if (opts.sign && sb.options.secretKey && !answer.error && answer.status >= 200 && answer.status < 300) {
		headers.Authorization = hmac.authorizationHeader(await responseSignature(sb, answer));
	}
	if (res.destroyed) return;
	entry.status = answer.status;
	res.writeHead(answer.status, headers);
	if (req.method === 'HEAD') return void res.end();
	const limit = opts.truncate ? Math.min(opts.cutAt ?? Math.floor(length / 2), length) : opts.stall ? Math.min(opts.cutAt ?? 0, length) : length;
	if (opts.stall) res.flushHeaders();
	const chunks = answer.body
		? (async function* () {
				yield /** @type {Buffer} */ (answer.body);
			})()
		: /** @type {any} */ (answer.source).open();
	let sent = 0;
	for await (let chunk of chunks) {
		if (res.destroyed || sent >= limit) break;
		if (sent + chunk.length > limit) chunk = chunk.subarray(0, limit - sent);
		sent += chunk.length;
		for (let at = 0; at < chunk.length; ) {
			const piece = opts.drip ? chunk.subarray(at, at + opts.drip.bytes) : chunk.subarray(at);
			at += piece.length;
			if (!res.write(piece)) await drained(res);
			if (opts.drip) await sleep(sb, opts.drip.delayMs);
		}
	}
	if (res.destroyed) return;
	if (opts.stall) return; // silence: the socket stays open until the client gives up, or close()
	if (opts.truncate) {
		await new Promise((resolve) => res.write('', () => resolve(undefined)));
		req.socket.destroy();
		return;
	}
	res.end();
}

/** The answer of an injected fault, or null for those that let the request go on. @param {import('./faults').Fault} fault */
function faultAnswer(fault) {
	switch (fault.kind) {
		case 'status':
			return { ...internalError(`Injected fault: HTTP ${fault.status ?? 500}`), status: fault.status ?? 500 };
		case 'html': {
			const status = fault.status ?? 502;
			const title = `${status} ${http.STATUS_CODES[status] ?? 'Error'}`;
			return html(status, `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`);
		}
		case 'rateLimit':
			return {
				status: 429,
				type: 'text/plain; charset=utf-8',
				body: Buffer.from('Too Many Requests'),
				error: true,
				headers: { 'Retry-After': String(fault.retryAfter ?? 1) },
			};
		case 'errorCode':
			return argumentError(fault.code ?? 'internal-error');
		case 'bareString':
			return { ...json(fault.code ?? 'COMPANY_KEY_INVALID'), error: true };
		case 'body':
			return {
				status: 200,
				type: fault.type ?? 'application/json',
				body: fault.bodyBase64 !== undefined ? Buffer.from(fault.bodyBase64, 'base64') : Buffer.from(fault.body ?? '{}'),
				headers: fault.headers,
			};
		case 'redirect':
			return {
				status: fault.status ?? 301,
				type: 'text/plain; charset=utf-8',
				body: Buffer.from('Moved'),
				error: true,
				headers: { Location: fault.location ?? '/moved' },
			};
		default:
			return null;
	}
}

/**
 * Runs a widget/API route: content-type rule of the API host, key, session, then the handler.
 * @param {any} sb @param {any} route @param {any} ctx @returns {Promise<Answer>}
 */
async function runRoute(sb, route, ctx) {
	const widget = route.host === 'widget';
	if (!widget && !route.multipart && ctx.encoding !== 'json') return argumentError('wrong-parameters');
	if (ctx.parseError) return argumentError('wrong-parameters');
	const key = ctx.fields[widget ? 'company_key' : 'companyKey'];
	if (typeof key !== 'string' || key !== sb.options.companyKey) return route.badKey ? route.badKey() : argumentError('invalid-company-key');
	if (route.session) {
		const id = str(ctx.fields[widget ? 'session_token' : 'sessionId']);
		if (!id) return argumentError('wrong-parameters');
		ctx.session = sb.state.sessions.get(id);
		if (!ctx.session) return argumentError('session-not-found');
	}
	return route.handler(ctx);
}

/** @param {any} sb */
function createServer(sb) {
	const server = http.createServer((req, res) => {
		handle(sb, req, res).catch((err) => {
			if (sb.options.log) console.error('sandbox:', err);
			if (!res.headersSent && !res.destroyed) {
				res.writeHead(500, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ internalError: String(err && err.message) }));
			} else res.destroy();
		});
	});
	server.on('connection', (socket) => {
		sb.sockets.add(socket);
		socket.on('close', () => sb.sockets.delete(socket));
	});
	return server;
}

/** @param {any} sb @param {http.IncomingMessage} req @param {http.ServerResponse} res */
async function handle(sb, req, res) {
	const started = Date.now();
	const url = new URL(req.url ?? '/', 'http://sandbox');
	const { host, path } = classify(url.pathname);
	const raw = await readBody(req);
	const method = req.method ?? 'GET';
	if (raw === null) {
		res.writeHead(413, { 'Content-Type': 'text/plain', Connection: 'close' });
		return void res.end('Payload Too Large');
	}
	const body = parseBody(req, raw);
	const signed = host === 'widget' || host === 'api';
	const entry = {
		host,
		path,
		method,
		encoding: body.encoding,
		contentType: body.contentType,
		fields: body.fields,
		files: body.files.map((f) => ({
			field: f.field,
			filename: f.filename,
			contentType: f.contentType,
			size: f.data.length,
			sha256: crypto.createHash('sha256').update(f.data).digest('hex'),
		})),
		headers: { ...req.headers },
		signature: signed ? checkSignature(sb.options.secretKey, req, body) : null,
		/** @type {number|null} */
		status: null,
		time: new Date(started).toISOString(),
	};
	sb.requests.push(entry);
	if (sb.options.log) res.on('close', () => console.log(`${method} ${host} /${path} -> ${entry.status ?? '-'} (${Date.now() - started} ms)`));
	const ctx = {
		sb,
		req,
		method,
		host,
		path,
		query: url.searchParams,
		encoding: body.encoding,
		fields: body.fields,
		files: body.files,
		parseError: body.parseError,
		/** @param {string} kind */
		takeFault: (kind) => (signed ? sb.faults.take(host, path, [kind]) : undefined),
	};

	if (host === 'control') return send(sb, req, res, entry, await sb.control(ctx));
	if (host === 'page') {
		const pageAnswer = path === '' || path === 'widget' || path === 'widget/' ? sb.widgetPage(ctx) : NOT_FOUND_PAGE(method, url.pathname);
		return send(sb, req, res, entry, pageAnswer);
	}

	if (sb.latencyMs > 0) await sleep(sb, sb.latencyMs);
	const fault = sb.faults.take(host, path, BEFORE_HANDLER);
	if (fault?.kind === 'reset') {
		entry.status = 0;
		return void req.socket.destroy();
	}
	if (fault?.kind === 'timeout') {
		entry.status = 0; // never answered; the socket is destroyed when the client gives up or on close()
		return;
	}
	if (fault?.kind === 'latency') await sleep(sb, fault.delayMs ?? 1000);
	if (res.destroyed) return;
	const injected = fault && faultAnswer(fault);
	if (injected) return send(sb, req, res, entry, injected);

	if (entry.signature === 'missing' || entry.signature === 'invalid') {
		return send(sb, req, res, entry, { ...argumentError('invalid-signature'), status: 401 }, { truncate: fault?.kind === 'truncate' });
	}
	const route = sb.routes.get(`${host} ${path}`);
	/** @type {Answer} */
	let answer;
	if (!route) answer = NOT_FOUND_PAGE(method, url.pathname);
	else {
		try {
			answer = await runRoute(sb, route, ctx);
		} catch (err) {
			answer = internalError(String(/** @type {any} */ (err)?.message ?? err));
		}
	}
	return send(sb, req, res, entry, answer, {
		sign: true,
		truncate: fault?.kind === 'truncate',
		stall: fault?.kind === 'stall',
		cutAt: fault?.afterBytes,
		drip: fault?.kind === 'drip' ? { bytes: fault.chunkBytes ?? 4096, delayMs: fault.delayMs ?? 300 } : undefined,
	});
}

module.exports = { createServer, classify, parseBody };
