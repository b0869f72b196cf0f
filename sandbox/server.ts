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
import http from 'node:http';
import crypto from 'node:crypto';
import { parseMultipart } from './multipart.ts';
import * as hmac from './hmac.ts';
import { BEFORE_HANDLER } from './faults.ts';
import type { Answer, Encoding, Fault, Internals, Route, RouteContext, SandboxRequest, Source, UploadedFile } from './types.ts';
import { json, argumentError, internalError, html, NOT_FOUND_PAGE, str, isObject } from './util.ts';

const MAX_BODY = 64 * 1024 * 1024;

function classify(pathname: string): { host: 'widget' | 'api' | 'control' | 'page'; path: string; } {
	for (const [prefix, host] of [
		['/widget/external-api', 'widget'],
		['/api', 'api'],
		['/__sandbox', 'control'],
	] as const) {
		if (pathname === prefix) return { host, path: '' };
		if (pathname.startsWith(`${prefix}/`)) return { host, path: pathname.slice(prefix.length + 1) };
	}
	return { host: 'page', path: pathname.slice(1) };
}

/**  @returns null when over MAX_BODY */
function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size <= MAX_BODY) chunks.push(c);
		});
		req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/** Repeated names become arrays. */
function addField(fields: Record<string, unknown>, name: string, value: string) {
	const had = fields[name];
	if (!(name in fields)) fields[name] = value;
	else if (Array.isArray(had)) had.push(value);
	else fields[name] = [had, value];
}

/** A request body as read: its fields and files, and the bytes its HMAC signature covers. */
interface ParsedBody {
	encoding: Encoding;
	contentType: string | null;
	fields: Record<string, unknown>;
	files: UploadedFile[];
	signed: Buffer[] | Buffer;
	parseError: boolean;
}

function parseBody(req: http.IncomingMessage, raw: Buffer): ParsedBody {
	const contentType = req.headers['content-type'] ?? null;
	const ct = (contentType ?? '').toLowerCase();
	const q = (req.url ?? '').indexOf('?');
	const rawQuery = q >= 0 ? (req.url ?? '').slice(q + 1) : '';
	const out: ParsedBody = { encoding: 'none', contentType, fields: {}, files: [], signed: raw, parseError: false };
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

/** Whether the request's HMAC signature holds; null without a secret. */
function checkSignature(secret: string | undefined, req: http.IncomingMessage, body: ParsedBody): SandboxRequest['signature'] {
	if (!secret) return null;
	const given = hmac.parseAuthorization(req.headers.authorization);
	if (given === undefined) return 'missing';
	if (given === null) return 'invalid';
	const expected = Array.isArray(body.signed) ? hmac.signParts(secret, body.signed) : hmac.signBody(secret, body.signed);
	return hmac.sameSignature(given, expected) ? 'valid' : 'invalid';
}

function sleep(sb: Internals, ms: number) {
	return new Promise((resolve) => {
		const t = setTimeout(() => {
			sb.timers.delete(t);
			resolve(undefined);
		}, ms);
		sb.timers.add(t);
	});
}

function drained(res: http.ServerResponse) {
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

/** The body of an answer as a Source (a whole body is one chunk). */
function bodyOf(answer: Answer): Source {
	const body = answer.body;
	if (body) {
		return {
			length: body.length,
			async *open() {
				yield body;
			},
		};
	}
	if (!answer.source) throw new Error('an answer without a body');
	return answer.source;
}

async function responseSignature(sb: Internals, secret: string, answer: Answer): Promise<string> {
	if (answer.body) return hmac.signBody(secret, answer.body);
	const source = bodyOf(answer);
	const key = source.cacheKey;
	const cached = key ? sb.digestCache.get(key) : undefined;
	if (cached) return cached;
	const sig = await hmac.signStream(secret, source.open());
	if (key) sb.digestCache.set(key, sig);
	return sig;
}

/**
 * Sends an answer. `truncate`: headers with the real Content-Length, `cutAt` bytes of the body
 * (default half), then the socket is destroyed. `stall`: headers, `cutAt` bytes (default 0), then
 * silence.
 * silence. `drip`: the body in pieces of `bytes`, `delayMs` apart.
 */
async function send(
	sb: Internals,
	req: http.IncomingMessage,
	res: http.ServerResponse,
	entry: SandboxRequest,
	answer: Answer,
	opts: { sign?: boolean; truncate?: boolean; stall?: boolean; cutAt?: number; drip?: { bytes: number; delayMs: number } } = {},
) {
	if (res.destroyed) return;
	const source = bodyOf(answer);
	const length = source.length;
	const headers: Record<string, string | number> = { 'Content-Type': answer.type, 'Content-Length': length, ...answer.headers };
	const secret = sb.options.secretKey;
	if (opts.sign && secret && !answer.error && answer.status >= 200 && answer.status < 300) {
		headers.Authorization = hmac.authorizationHeader(await responseSignature(sb, secret, answer));
	}
	if (res.destroyed) return;
	entry.status = answer.status;
	res.writeHead(answer.status, headers);
	if (req.method === 'HEAD') return void res.end();
	const limit = opts.truncate ? Math.min(opts.cutAt ?? Math.floor(length / 2), length) : opts.stall ? Math.min(opts.cutAt ?? 0, length) : length;
	if (opts.stall) res.flushHeaders();
	const chunks = source.open();
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

/** The answer of an injected fault, or null for those that let the request go on. */
function faultAnswer(fault: Fault): Answer | null {
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
 */
async function runRoute(sb: Internals, route: Route, ctx: RouteContext): Promise<Answer> {
	const widget = route.host === 'widget';
	if (!widget && !route.multipart && ctx.encoding !== 'json') return argumentError('wrong-parameters');
	if (ctx.parseError) return argumentError('wrong-parameters');
	const key = ctx.fields[widget ? 'company_key' : 'companyKey'];
	if (typeof key !== 'string' || key !== sb.options.companyKey) return route.badKey ? route.badKey() : argumentError('invalid-company-key');
	if (!route.session) return route.handler(ctx);
	const id = str(ctx.fields[widget ? 'session_token' : 'sessionId']);
	if (!id) return argumentError('wrong-parameters');
	const session = sb.state.sessions.get(id);
	if (!session) return argumentError('session-not-found');
	return route.handler({ ...ctx, session });
}

function createServer(sb: Internals) {
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

async function handle(sb: Internals, req: http.IncomingMessage, res: http.ServerResponse) {
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
	const entry: SandboxRequest = {
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
		status: null,
		time: new Date(started).toISOString(),
	};
	sb.requests.push(entry);
	if (sb.options.log) res.on('close', () => console.log(`${method} ${host} /${path} -> ${entry.status ?? '-'} (${Date.now() - started} ms)`));
	const ctx: RouteContext = {
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
		takeFault: (kind: string) => (signed ? sb.faults.take(host, path, [kind]) : undefined),
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
	let answer: Answer;
	if (!route) answer = NOT_FOUND_PAGE(method, url.pathname);
	else {
		try {
			answer = await runRoute(sb, route, ctx);
		} catch (err) {
			answer = internalError(err instanceof Error ? err.message : String(err));
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

export { createServer, classify, parseBody };
