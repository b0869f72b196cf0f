/**
 * Fidelity of the Identomat sandbox to Identomat's API reference and docs/identomat-api.md: every endpoint's success
 * shape and documented errors, both dialects and all widget encodings, real files, streaming,
 * faults, HMAC, the control endpoints and the widget page.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { type Sandbox, startSandbox, signBody, signParts, ROUTES } from '../sandbox/index.ts';
import { sandboxForFile } from './helpers/sandbox';

const KEY = 'sandbox-company-key';
const HEX24 = /^[0-9a-f]{24}$/;
const TOKEN = /^[0-9a-z]{40}$/;

const sb = sandboxForFile({ recordingBytes: 40 * 1024 });
/** endpoints that answered a success (non-error) body at least once: must reach 42 */
const succeeded = new Set();

// ---------- clients ----------

async function read(r: Response) {
	const buf = Buffer.from(await r.arrayBuffer());
	const type = r.headers.get('content-type') || '';
	let body = buf;
	if (type.includes('json')) body = JSON.parse(buf.toString('utf8'));
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON body the tests read freely
	return { status: r.status, headers: r.headers, body: body as any, buf };
}

function track<T>(endpoint: string, res: T): T {
	const b = res.body;
	const isError = (typeof b === 'string' && !TOKEN.test(b)) || (b && typeof b === 'object' && !Buffer.isBuffer(b) && ('argumentError' in b || 'internalError' in b));
	if (res.status === 200 && !isError) succeeded.add(endpoint);
	return res;
}

/** API host, JSON. */
async function api(path: string, body: object = {}, o: { headers?: Record<string, string>; base?: Sandbox; } = {}) {
	const base = o.base ?? sb;
	const r = await fetch(`${base.apiBaseUrl}/${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', ...o.headers },
		body: JSON.stringify({ companyKey: base.companyKey, ...body }),
	});
	return track(path, await read(r));
}

/**
 * Widget host. encoding: json | multipart | urlencoded | query.
 */
async function widget(path: string, fields: Record<string, unknown> = {}, encoding: 'json' | 'multipart' | 'urlencoded' | 'query' = 'multipart', o: { files?: Record<string, Buffer>; noKey?: boolean; headers?: Record<string, string>; base?: Sandbox; } = {}) {
	const base = o.base ?? sb;
	const all = o.noKey ? fields : { company_key: base.companyKey, ...fields };
	const url = `${base.widgetBaseUrl}/${path}`;
	const asText = (v) => (typeof v === 'string' ? v : JSON.stringify(v));
	let init: RequestInit;
	if (encoding === 'json') init = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(all) };
	else if (encoding === 'urlencoded') {
		init = { method: 'POST', body: new URLSearchParams(Object.entries(all).map(([k, v]) => [k, asText(v)])) };
	} else if (encoding === 'query') {
		const qs = new URLSearchParams(Object.entries(all).map(([k, v]) => [k, asText(v)]));
		const r = await fetch(`${url}?${qs}`, { headers: o.headers });
		return track(path, await read(r));
	} else {
		const fd = new FormData();
		for (const [k, v] of Object.entries(all)) fd.append(k, asText(v));
		for (const [k, v] of Object.entries(o.files ?? {})) fd.append(k, new Blob([new Uint8Array(v)]), `${k}.bin`);
		init = { method: 'POST', body: fd };
	}
	init.headers = { ...((init.headers as Record<string, string>) ?? {}), ...o.headers };
	return track(path, await read(await fetch(url, init)));
}

/** Control endpoint. */
async function control(method: string, path: string, body: object) {
	const r = await fetch(`${sb.url}/__sandbox/${path}`, {
		method,
		headers: body ? { 'Content-Type': 'application/json' } : {},
		body: body ? JSON.stringify(body) : undefined,
	});
	return read(r);
}

/** A raw HTTP exchange that survives truncated bodies. */
function rawPost(url: string, body: string) {
	return new Promise((resolve) => {
		const req = http.request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c) => chunks.push(c));
			const done = (aborted: boolean) =>
				resolve({ status: res.statusCode, headers: res.headers, buf: Buffer.concat(chunks), aborted });
			res.on('end', () => done(false));
			res.on('aborted', () => done(true));
			res.on('error', () => done(true));
		});
		req.on('error', (err) => resolve({ error: err }));
		req.end(body);
	});
}

const is = {
	jpeg: (b: Buffer) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
	png: (b: Buffer) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
	pdf: (b: Buffer) => b.subarray(0, 5).toString('latin1') === '%PDF-' && b.toString('latin1').trimEnd().endsWith('%%EOF'),
	webm: (b: Buffer) => b.readUInt32BE(0) === 0x1a45dfa3,
	tar: (b: Buffer) => b.subarray(257, 262).toString('latin1') === 'ustar',
};

function decodeDataUri(uri: string): { type: string; bytes: Buffer; } {
	const m = /^data:([^;,]+);base64,([A-Za-z0-9+/=]+)$/.exec(uri);
	if (!m) throw new Error(`not a clean data URI: ${uri.slice(0, 40)}`);
	return { type: m[1], bytes: Buffer.from(m[2], 'base64') };
}

/** Parses a ustar archive strictly (checksums, sizes, end blocks). */
function untar(buf: Buffer) {
	const files = [];
	let pos = 0;
	for (;;) {
		if (pos + 512 > buf.length) throw new Error('archive cut short');
		const h = buf.subarray(pos, pos + 512);
		if (h.every((b) => b === 0)) break;
		let sum = 0;
		for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
		if (parseInt(h.subarray(148, 156).toString('latin1'), 8) !== sum) throw new Error('bad header checksum');
		const name = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
		const size = parseInt(h.subarray(124, 136).toString('latin1'), 8);
		if (pos + 512 + size > buf.length) throw new Error('archive cut short');
		files.push({ name, data: buf.subarray(pos + 512, pos + 512 + size), magic: h.subarray(257, 262).toString('latin1') });
		pos += 512 + Math.ceil(size / 512) * 512;
	}
	return files;
}

// ---------- sessions on the widget host ----------

describe('begin/', () => {
	test.each((['multipart', 'urlencoded', 'json', 'query'] as const))('answers a bare 40-char token (%s)', async (enc) => {
		const res = await widget('begin/', { flags: { language: 'de', return_url: 'http://127.0.0.1:1/done' }, steps: [] }, enc);
		expect(res.status).toBe(200);
		expect(res.body).toMatch(TOKEN);
		const s = sb.state.sessions.get(res.body);
		expect(s.flags).toEqual({ language: 'de', return_url: 'http://127.0.0.1:1/done' });
		const logged = sb.requests[0];
		expect(logged).toMatchObject({ host: 'widget', path: 'begin/', encoding: enc, status: 200 });
		expect(logged.fields.company_key).toBe(KEY);
		expect(enc === 'json' ? logged.fields.flags : JSON.parse(logged.fields.flags)).toEqual(s.flags);
	});

	test('config_id must exist; the seeded one works; steps override is kept', async () => {
		const steps = [{ type: 'user-questionnaire', key: 'agreement', questions: [{ key: 'agreement-1', answer: 'John Doe' }] }];
		const ok = await widget('begin/', { config_id: '62412c096c4b39ba845d4bf2', steps }, 'json');
		expect(ok.body).toMatch(TOKEN);
		expect((await widget('begin/', { config_id: '000000000000000000000000' })).body).toEqual({ argumentError: 'wrong-parameters' });
		sb.completeSession(ok.body);
		const result = await widget('result/', { session_token: ok.body });
		expect(result.body.questionnaires).toEqual([{ key: 'agreement', questions: [{ key: 'agreement-1', answer: 'John Doe' }] }]);
	});

	test('invalid JSON in flags or steps, and a wrong steps type, are wrong-parameters', async () => {
		expect((await widget('begin/', { flags: '{nope' })).body).toEqual({ argumentError: 'wrong-parameters' });
		expect((await widget('begin/', { steps: '[1,' }, 'urlencoded')).body).toEqual({ argumentError: 'wrong-parameters' });
		expect((await widget('begin/', { steps: { a: 1 } }, 'json')).body).toEqual({ argumentError: 'wrong-parameters' });
	});

	test('parent_session_id must exist', async () => {
		const parent = (await widget('begin/', {})).body;
		const child = await widget('begin/', { parent_session_id: parent }, 'json');
		expect(child.body).toMatch(TOKEN);
		expect(sb.state.sessions.get(child.body).parentSessionId).toBe(parent);
		expect((await widget('begin/', { parent_session_id: 'x'.repeat(40) })).body).toEqual({ argumentError: 'session-not-found' });
	});

	test('a wrong, missing or camelCase key answers the bare string COMPANY_KEY_INVALID with HTTP 200', async () => {
		for (const fields of [{ company_key: 'nope' }, {}, { companyKey: KEY }]) {
			const res = await widget('begin/', fields, 'multipart', { noKey: true });
			expect(res.status).toBe(200);
			expect(res.body).toBe('COMPANY_KEY_INVALID');
		}
	});
});

describe('result/ and delete/', () => {
	test('a new session is in_progress until completed', async () => {
		const token = (await widget('begin/', {})).body;
		const res = await widget('result/', { session_token: token }, 'json');
		expect(res.body).toMatchObject({ result: 'in_progress' });
		sb.completeSession(token, 'approved');
		const done = await widget('result/', { session_token: token }, 'query');
		expect(done.body.result).toBe('approved');
	});

	test('approved: the full shape of the reference', async () => {
		const id = sb.createCompletedSession({ result: 'approved' });
		const { body } = await widget('result/', { session_token: id }, 'urlencoded');
		for (const k of ['result', 'similarity', 'live', 'document_type', 'generalDocuments', 'reject_reason', 'result_comment', 'name', 'face_images', 'id_card_front', 'id_card_back', 'suggested', 'person', 'questionnaires', 'geolocation', 'technicalDetails']) {
			expect(body).toHaveProperty(k);
		}
		expect(body).toMatchObject({ result: 'approved', document_type: 'id', name: 'John Doe', reject_reason: { value: '', description: '' }, face_images: 1 });
		expect(body.similarity).toBeGreaterThan(0.8);
		expect(body.person).toMatchObject({ first_name: 'John', last_name: 'Doe', document_number: 'AB0002261', status: 'FIELDS_MATCH' });
		expect(body.generalDocuments.map((d) => d.pages[0].typeId)).toEqual(['utility-bill', 'bank-statement']);
		expect(body.errors).toBeUndefined();
	});

	test('rejected, any other result string, and own person values', async () => {
		const rej = (await widget('result/', { session_token: sb.createCompletedSession({ result: 'rejected' }) })).body;
		expect(rej).toMatchObject({ result: 'rejected', errors: ['LOW_SIMILARITY'], reject_reason: { value: 'low_similarity' }, name: 'James Smith' });
		const id = sb.createCompletedSession({ result: 'manual_check', person: { first_name: 'Ada' }, card: false });
		const other = (await widget('result/', { session_token: id })).body;
		expect(other).toMatchObject({ result: 'manual_check', name: 'Ada Doe', document_type: 'passport' });
		expect(other.id_card_front).toBeUndefined();
	});

	test('errors: unknown session, missing session, wrong key, camelCase names', async () => {
		expect((await widget('result/', { session_token: 'a'.repeat(40) })).body).toEqual({ argumentError: 'session-not-found' });
		expect((await widget('result/', {})).body).toEqual({ argumentError: 'wrong-parameters' });
		expect((await widget('result/', { company_key: 'x', session_token: 'a' }, 'json', { noKey: true })).body).toEqual({ argumentError: 'invalid-company-key' });
		const id = sb.createCompletedSession();
		expect((await widget('result/', { companyKey: KEY, sessionId: id }, 'json', { noKey: true })).body).toEqual({ argumentError: 'invalid-company-key' });
		expect((await widget('result/', { sessionId: id }, 'json')).body).toEqual({ argumentError: 'wrong-parameters' });
	});

	test('delete/ answers true and the session is gone', async () => {
		const id = sb.createCompletedSession();
		const res = await widget('delete/', { session_token: id });
		expect(res.body).toBe(true);
		expect((await widget('result/', { session_token: id })).body).toEqual({ argumentError: 'session-not-found' });
		expect((await widget('delete/', { session_token: id })).body).toEqual({ argumentError: 'session-not-found' });
	});

	test('widget paths need the trailing slash; API paths must not have one', async () => {
		const a = await fetch(`${sb.widgetBaseUrl}/result`, { method: 'POST', body: new URLSearchParams({ company_key: KEY }) });
		expect(a.status).toBe(404);
		expect(a.headers.get('content-type')).toMatch(/text\/html/);
		const b = await fetch(`${sb.apiBaseUrl}/list-groups/`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ companyKey: KEY }) });
		expect(b.status).toBe(404);
		expect((await b.text()).toLowerCase()).toContain('<html');
	});
});

describe('session media (widget host)', () => {
	test.each([
		['result/card-front/', 'jpeg', 'card-front.jpg'],
		['result/card-back/', 'jpeg', 'card-back.jpg'],
		['result/passport/', 'jpeg', 'passport.jpg'],
		['result/face/', 'jpeg', 'face.jpg'],
		['result/face-document/', 'jpeg', 'face-document.jpg'],
	])('%s is a real %s', async (path, kind, fixture) => {
		const id = sb.createCompletedSession();
		const res = await widget(path, { session_token: id }, 'json');
		expect(res.status).toBe(200);
		expect(is[(kind as 'jpeg')](res.buf)).toBe(true);
		expect(res.buf.equals(sb.fixtures[fixture])).toBe(true);
	});

	test('general documents: utility-bill is a JPEG, bank-statement a PDF; typeId is checked', async () => {
		const id = sb.createCompletedSession();
		const bill = await widget('result/general-document/', { session_token: id, typeId: 'utility-bill' });
		expect(is.jpeg(bill.buf)).toBe(true);
		expect(bill.headers.get('content-type')).toBe('application/octet-stream');
		const statement = await widget('result/general-document/', { session_token: id, typeId: 'bank-statement' }, 'query');
		expect(is.pdf(statement.buf)).toBe(true);
		expect((await widget('result/general-document/', { session_token: id, typeId: 'drivers-license' })).body).toEqual({ argumentError: 'not-found' });
		expect((await widget('result/general-document/', { session_token: id, typeId: 'passport' })).body).toEqual({ argumentError: 'wrong-parameters' });
		expect((await widget('result/general-document/', { session_token: id })).body).toEqual({ argumentError: 'wrong-parameters' });
	});

	test('liveness video: a WebM of the configured size', async () => {
		const id = sb.createCompletedSession();
		const res = await widget('result/face-video/', { session_token: id });
		expect(res.headers.get('content-type')).toBe('video/webm');
		expect(res.buf.length).toBe(256 * 1024);
		expect(is.webm(res.buf)).toBe(true);
		const fx = sb.fixtures['liveness.webm'];
		expect(res.buf.subarray(0, fx.length).equals(fx)).toBe(true);
		expect(res.buf[fx.length]).toBe(0xec); // EBML Void padding
	});

	test('media left out or not yet captured → not-found; unknown session → session-not-found', async () => {
		const id = sb.createCompletedSession({ passport: false, liveness: false, generalDocuments: false });
		expect((await widget('result/passport/', { session_token: id })).body).toEqual({ argumentError: 'not-found' });
		expect((await widget('result/face-video/', { session_token: id })).body).toEqual({ argumentError: 'not-found' });
		expect((await widget('result/general-document/', { session_token: id, typeId: 'utility-bill' })).body).toEqual({ argumentError: 'not-found' });
		const token = (await widget('begin/', {})).body;
		expect((await widget('result/card-front/', { session_token: token })).body).toEqual({ argumentError: 'not-found' });
		expect((await widget('result/face/', { session_token: 'z'.repeat(40) })).body).toEqual({ argumentError: 'session-not-found' });
	});
});

describe('a large video', () => {
	const big = sandboxForFile({ videoBytes: 48 * 1024 * 1024, secretKey: 'big-secret' });

	test('a 48 MB liveness video is streamed at the configured size', async () => {
		const id = big.createCompletedSession();
		const body = JSON.stringify({ company_key: big.companyKey, session_token: id });
		const r = await fetch(`${big.widgetBaseUrl}/result/face-video/`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: `signature="${signBody('big-secret', body)}"` },
			body,
		});
		expect(r.headers.get('content-length')).toBe(String(48 * 1024 * 1024));
		const sig = (r.headers.get('authorization') as string);
		const h = crypto.createHmac('sha256', 'big-secret');
		let n = 0;
		let head = Buffer.alloc(0);
		for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
			if (head.length < 4) head = Buffer.concat([head, chunk]);
			h.update(chunk);
			n += chunk.length;
		}
		expect(n).toBe(48 * 1024 * 1024);
		expect(is.webm(head)).toBe(true);
		expect(sig).toBe(`signature="${h.digest('base64')}"`);
	});
});

// ---------- sessions on the API host ----------

describe('API-host session endpoints', () => {
	test('export-session-as-pdf: a real PDF naming the session and what was included', async () => {
		const id = sb.createCompletedSession();
		const res = await api('export-session-as-pdf', { sessionId: id, exportSession: true, exportScreening: false, exportProofOfAddress: true });
		expect(res.headers.get('content-type')).toBe('application/pdf');
		expect(is.pdf(res.buf)).toBe(true);
		const text = res.buf.toString('latin1');
		expect(text).toContain(id);
		expect(text).toContain('Included: session data, proof of address');
		expect((await api('export-session-as-pdf', { sessionId: id, exportSession: false })).body).toEqual({ argumentError: 'wrong-parameters' });
		expect((await api('export-session-as-pdf', { sessionId: 'q'.repeat(40), exportSession: true })).body).toEqual({ argumentError: 'session-not-found' });
	});

	test('get-session-main-document-face-photo: data:text/plain;base64 holding a JPEG', async () => {
		const id = sb.createCompletedSession();
		const res = await api('get-session-main-document-face-photo', { sessionId: id });
		const { type, bytes } = decodeDataUri(res.body.result);
		expect(type).toBe('text/plain');
		expect(is.jpeg(bytes)).toBe(true);
		const none = sb.createCompletedSession({ card: false, passport: false });
		expect((await api('get-session-main-document-face-photo', { sessionId: none })).body).toEqual({ argumentError: 'face-photo-not-found' });
	});

	test('list-session-activities and get-session-statistical-summary', async () => {
		const id = sb.createCompletedSession();
		const acts = (await api('list-session-activities', { sessionId: id })).body.result;
		expect(acts.length).toBeGreaterThan(2);
		for (const a of acts) {
			expect(a).toEqual({ id: expect.stringMatching(HEX24), type: expect.any(String), time: expect.any(String), data: [] });
		}
		expect(acts[0].type).toBe('PAGE_LOADED');
		const stats = (await api('get-session-statistical-summary', { sessionId: id })).body.result;
		expect(stats).toHaveLength(1);
		expect(Object.keys(stats[0]).sort()).toEqual(
			['sessionStartDate', 'sessionTimeSpan', 'scanDocumentStartTime', 'scanDocumentEndTime', 'scanDocumentAttempts', 'scanDocumentFailReason', 'livenessStartTime', 'livenessEndTime', 'livenessFailReasons', 'sessionTerminationStep', 'sessionTerminationReasons'].sort(),
		);
		expect(stats[0].sessionTimeSpan).toBeGreaterThan(0);
	});

	test('get-visual-markers: nested arrays of x-tar data URIs that are really PNG/JPEG', async () => {
		const id = sb.createCompletedSession();
		const { result } = (await api('get-visual-markers', { sessionId: id })).body;
		expect(Array.isArray(result) && result.every(Array.isArray)).toBe(true);
		const decoded = result.flat().map(decodeDataUri);
		expect(decoded.every((d) => d.type === 'application/x-tar')).toBe(true);
		expect(decoded.some((d) => is.png(d.bytes))).toBe(true);
		expect(decoded.every((d) => is.png(d.bytes) || is.jpeg(d.bytes))).toBe(true);
		const none = sb.createCompletedSession({ visualMarkers: false });
		expect((await api('get-visual-markers', { sessionId: none })).body).toEqual({ argumentError: 'not-found' });
	});

	test('get-question-file: all files, one by fileIndex, and its errors', async () => {
		const id = sb.createCompletedSession();
		const q = { sessionId: id, stepKey: 'user-questionnaire-1', questionKey: 'question-1' };
		const all = (await api('get-question-file', q)).body.result;
		expect(all).toHaveLength(1);
		expect(all[0]).toHaveLength(2);
		const one = (await api('get-question-file', { ...q, fileIndex: 1 })).body.result;
		expect(one).toHaveLength(1);
		expect(is.png(decodeDataUri(one[0][0]).bytes)).toBe(true);
		expect((await api('get-question-file', { ...q, fileIndex: 5 })).body).toEqual({ argumentError: 'not-found' });
		expect((await api('get-question-file', { ...q, questionKey: 'nope' })).body).toEqual({ argumentError: 'not-found' });
		expect((await api('get-question-file', { sessionId: id, stepKey: 'user-questionnaire-1' })).body).toEqual({ argumentError: 'wrong-parameters' });
	});

	test('video call: shots, a ustar archive of WebM recordings, end-video-call', async () => {
		const id = sb.createCompletedSession({ activeVideoCall: true });
		const shots = (await api('get-video-call-shots', { sessionId: id })).body.result;
		expect(shots.flat().map((u: string) => decodeDataUri(u).bytes).every(is.jpeg)).toBe(true);
		const videos = await api('get-video-call-videos', { sessionId: id });
		expect(videos.headers.get('content-type')).toBe('application/x-tar');
		expect(is.tar(videos.buf)).toBe(true);
		const files = untar(videos.buf);
		expect(files.map((f) => f.name)).toEqual(['recording-1.webm', 'recording-2.webm', 'recording-3.webm']);
		for (const f of files) {
			expect(f.data.length).toBe(40 * 1024);
			expect(is.webm(f.data)).toBe(true);
		}
		expect((await api('end-video-call', { sessionId: id })).body).toEqual({});
		expect((await api('end-video-call', { sessionId: id })).body).toEqual({ argumentError: 'invalid-access' });
		const ended = sb.createCompletedSession();
		expect((await api('end-video-call', { sessionId: ended })).body).toEqual({ argumentError: 'invalid-access' });
		const none = sb.createCompletedSession({ videoCall: false });
		expect((await api('get-video-call-videos', { sessionId: none })).body).toEqual({ argumentError: 'not-found' });
		expect((await api('get-video-call-shots', { sessionId: none })).body).toEqual({ argumentError: 'not-found' });
	});

	test('API dialect: JSON only, companyKey/sessionId names, documented errors', async () => {
		const id = sb.createCompletedSession();
		const form = await fetch(`${sb.apiBaseUrl}/list-session-activities`, { method: 'POST', body: new URLSearchParams({ companyKey: KEY, sessionId: id }) });
		expect(await form.json()).toEqual({ argumentError: 'wrong-parameters' });
		expect((await api('list-session-activities', { companyKey: 'bad', sessionId: id })).body).toEqual({ argumentError: 'invalid-company-key' });
		expect((await api('list-session-activities', { companyKey: undefined, company_key: KEY, sessionId: id })).body).toEqual({ argumentError: 'invalid-company-key' });
		expect((await api('list-session-activities', { session_token: id })).body).toEqual({ argumentError: 'wrong-parameters' });
		expect((await api('list-session-activities', { sessionId: 'n'.repeat(40) })).body).toEqual({ argumentError: 'session-not-found' });
		expect((await api('list-groups', { companyKey: 'bad' })).body).toEqual({ argumentError: 'invalid-company-key' });
		const bad = await fetch(`${sb.apiBaseUrl}/list-groups`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"companyKey":' });
		expect(await bad.json()).toEqual({ argumentError: 'wrong-parameters' });
	});
});

// ---------- image processing ----------

describe('document reading and compare-faces', () => {
	const READERS = ['card/front/', 'card/back/', 'license/front/', 'license/back/', 'residence/front/', 'residence/back/', 'passport/'];

	test.each(READERS)('%s reads a JPEG into the reference object with a fresh requestId', async (path) => {
		const a = await widget(path, {}, 'multipart', { files: { image: sb.fixtures['card-front.jpg'] } });
		const b = await widget(path, {}, 'multipart', { files: { image: sb.fixtures['marker.png'] } });
		expect(a.body.requestId).toMatch(/^[0-9a-f]{32}$/);
		expect(b.body.requestId).not.toBe(a.body.requestId);
		expect(a.body.person).toEqual(expect.any(Object));
		if (path === 'passport/') expect(Object.keys(a.body).slice(0, 2)).toEqual(['mrzData', 'visualData']);
		else expect(a.body.Issuing_State_Code_en_US).toEqual(expect.any(String));
	});

	test('no image → wrong-parameters; not an image → "INVALID_IMAGE"; no document → "DOCUMENT_NOT_FOUND"; wrong key', async () => {
		expect((await widget('card/front/', {})).body).toEqual({ argumentError: 'wrong-parameters' });
		expect((await widget('card/front/', { image: 'not a file' }, 'json')).body).toEqual({ argumentError: 'wrong-parameters' });
		expect((await widget('card/front/', {}, 'multipart', { files: { image: Buffer.from('hello') } })).body).toBe('INVALID_IMAGE');
		expect((await widget('passport/', {}, 'multipart', { files: { image: sb.fixtures['no-document.jpg'] } })).body).toBe('DOCUMENT_NOT_FOUND');
		expect((await widget('card/back/', { company_key: 'nope' }, 'multipart', { noKey: true, files: { image: sb.fixtures['card-back.jpg'] } })).body).toEqual({ argumentError: 'invalid-company-key' });
		expect(sb.requests[2].files[0]).toMatchObject({ field: 'image', size: 5, sha256: crypto.createHash('sha256').update('hello').digest('hex') });
	});

	async function compare(files: Record<string, Buffer>, key: string = KEY) {
		const fd = new FormData();
		fd.append('companyKey', key);
		for (const [k, v] of Object.entries(files)) fd.append(k, new Blob([new Uint8Array(v)], { type: 'image/jpeg' }), `${k}.jpg`);
		return track('compare-faces', await read(await fetch(`${sb.apiBaseUrl}/compare-faces`, { method: 'POST', body: fd })));
	}

	test('compare-faces: identical → 1, different → deterministic 0.5..0.99, small → null + FACE_FAR_AWAY', async () => {
		const face = sb.fixtures['face.jpg'];
		expect((await compare({ face1: face, face2: face })).body).toEqual({ result: { similarity: 1, face1Statuses: [], face2Statuses: [] } });
		const d1 = (await compare({ face1: face, face2: sb.fixtures['face-document.jpg'] })).body.result.similarity;
		const d2 = (await compare({ face1: sb.fixtures['face-document.jpg'], face2: face })).body.result.similarity;
		expect(d1).toBe(d2);
		expect(d1).toBeGreaterThanOrEqual(0.5);
		expect(d1).toBeLessThan(0.99);
		expect((await compare({ face1: face, face2: sb.fixtures['face-small.jpg'] })).body).toEqual({
			result: { similarity: null, face1Statuses: [], face2Statuses: ['FACE_FAR_AWAY'] },
		});
	});

	test('compare-faces errors', async () => {
		const face = sb.fixtures['face.jpg'];
		expect((await compare({ face1: face })).body).toEqual({ argumentError: 'wrong-parameters' });
		expect((await compare({ face1: face, face2: Buffer.from('%PDF-1.4 nope') })).body).toBe('INVALID_IMAGE');
		expect((await compare({ face1: face, face2: face }, 'bad')).body).toEqual({ argumentError: 'invalid-company-key' });
		expect((await api('compare-faces', {})).body).toEqual({ argumentError: 'wrong-parameters' });
	});
});

// ---------- the demo's story: one sample person across images and answers ----------

describe("the sample person, John Doe: what the images show is what the sandbox answers", () => {
	/** Compares two fixtures by name. */
	async function similarity(a: string, b: string) {
		const fd = new FormData();
		fd.append('companyKey', KEY);
		fd.append('face1', new Blob([new Uint8Array(sb.fixtures[a])], { type: 'image/jpeg' }), a);
		fd.append('face2', new Blob([new Uint8Array(sb.fixtures[b])], { type: 'image/jpeg' }), b);
		const res = await read(await fetch(`${sb.apiBaseUrl}/compare-faces`, { method: 'POST', body: fd }));
		return res.body.result.similarity;
	}

	test("compare-faces: his ID photo and his selfie match; another person's selfie does not", async () => {
		// The demo's document check: the ID card photo against the selfie, "same face" from 0.8.
		expect(await similarity('card-front.jpg', 'face.jpg')).toBeGreaterThanOrEqual(0.9);
		expect(await similarity('face.jpg', 'card-front.jpg')).toBe(await similarity('card-front.jpg', 'face.jpg'));
		for (const [a, b] of [['passport.jpg', 'face.jpg'], ['document-face.jpg', 'face-document.jpg']]) {
			expect(await similarity(a, b)).toBeGreaterThanOrEqual(0.9);
		}
		for (const john of ['card-front.jpg', 'face.jpg', 'passport.jpg']) {
			expect(await similarity(john, 'face-other.jpg')).toBeLessThan(0.5);
		}
		// An image it knows no person for (here the utility bill) gets an undecided score.
		const unknown = await similarity('face.jpg', 'utility-bill.jpg');
		expect(unknown).toBeGreaterThanOrEqual(0.5);
		expect(unknown).toBeLessThan(0.99);
	});

	test('Read ID Card Front on card-front.jpg returns what the card shows', async () => {
		// card-front.jpg reads: SURNAME DOE, GIVEN NAMES JOHN, SEX M, CITIZENSHIP USA, BORN 08 JAN 1980,
		// EXPIRES 28 JUN 2028, PERSONAL No. 123456789, No. AB0002261.
		const { body } = await widget('card/front/', {}, 'multipart', { files: { image: sb.fixtures['card-front.jpg'] } });
		expect(body).toMatchObject({
			Surname_en_US: 'DOE',
			Given_Names_en_US: 'JOHN',
			Sex_en_US: 'M',
			citizenship: 'USA',
			Date_of_Birth_ISO: '1980-01-08T00:00:00.000Z',
			Date_of_Expiry_ISO: '2028-06-28T00:00:00.000Z',
			Personal_Number_en_US: '123456789',
			Document_Number_en_US: 'AB0002261',
		});
		expect(body.person).toMatchObject({ first_name: 'JOHN', last_name: 'DOE', document_number: 'AB0002261', birthday_time: '1980-01-08T00:00:00.000Z' });
	});

	test("the card's back and the passport too, with the MRZ they print", async () => {
		const back = (await widget('card/back/', {}, 'multipart', { files: { image: sb.fixtures['card-back.jpg'] } })).body;
		expect(back).toMatchObject({
			Date_of_Issued_ISO: '2021-06-28T00:00:00.000Z',
			Date_of_Expiry_ISO: '2028-06-28T00:00:00.000Z',
			Place_of_Birth_en_US: 'USA',
			Nationality_en_US: 'USA',
			Personal_Number_en_US: '123456789',
			Document_Number_en_US: 'AB0002261',
		});
		expect(back.mrz.split('\n')[0]).toBe('IDUSAAB0002261938001085718<<<<');
		const passport = (await widget('passport/', {}, 'multipart', { files: { image: sb.fixtures['passport.jpg'] } })).body;
		expect(passport.visualData).toMatchObject({
			Surname_en_US: 'DOE',
			Given_Names_en_US: 'JOHN',
			Nationality_en_US: 'USA',
			Date_of_Birth_ISO: '1980-01-08T00:00:00.000Z',
			Place_of_Birth_en_US: 'USA',
			Date_of_Issued_ISO: '2018-06-28T00:00:00.000Z',
			Date_of_Expiry_ISO: '2028-06-27T00:00:00.000Z',
			Document_Number_en_US: '561234567',
		});
		expect(passport.mrzData.mrz.split('\n')).toEqual(['P<USADOE<<JOHN'.padEnd(44, '<'), '5612345671USA8001081M2806273<<<<<<<<<<<<<<06']);
		expect(passport.person.status).toBe('FIELDS_MATCH');
	});

	test('an approved session is his: its document data and images are the same card', async () => {
		const id = sb.createCompletedSession({});
		const result = (await widget('result/', { session_token: id })).body;
		expect(result.person).toMatchObject({ first_name: 'John', last_name: 'Doe', document_number: 'AB0002261', birthday_time: '1980-01-08T00:00:00.000Z' });
		expect(result.id_card_front).toMatchObject({ Document_Number_en_US: 'AB0002261', Date_of_Expiry_ISO: '2028-06-28T00:00:00.000Z' });
		expect(result.similarity).toBeGreaterThan(0.8);
		const front = await widget('result/card-front/', { session_token: id });
		expect(front.buf.equals(sb.fixtures['card-front.jpg'])).toBe(true);
	});

	test("the newest monitoring change is a person on the sanctions lists (the trigger's test event has matches)", async () => {
		const { data } = (await api('list-screening-monitoring-records', { date: new Date(0).toISOString() })).body.result;
		const newest = [...data].sort((a, b) => Date.parse(b.lastUpdatedDate) - Date.parse(a.lastUpdatedDate))[0];
		expect(newest.fullName).toBe('Ivan Petrovich Sidorov');
		// What the trigger's "Include Screening Matches" asks (Minimum Match Score 80 by default).
		const matches = (await api('search-screening-person', { query: { fullName: newest.fullName, scoreThreshold: 80 } })).body.result;
		expect(matches[0]).toMatchObject({ score: 100, name: 'Ivan Petrovich Sidorov', topics: expect.arrayContaining(['Sanctioned entity']) });
	});
});

// ---------- screening ----------

describe('screening', () => {
	test('search: the reference example, thresholds, birthday filter', async () => {
		const putin = await api('search-screening-person', { query: { fullName: 'Vladimir Vladimirovich PUTIN', scoreThreshold: 80 } });
		expect(putin.body.result[0]).toEqual({
			score: 100,
			name: 'Vladimir Vladimirovich PUTIN',
			personId: '67137933a2176f0797f1e657',
			entityType: 'person',
			topics: ['Sanctioned entity', 'Wanted person', 'Person of interest', 'Politician'],
		});
		expect((await api('search-screening-person', { query: { fullName: 'Zzyzx Qwerty', scoreThreshold: 50 } })).body).toEqual({ result: [] });
		const later = (await api('search-screening-person', { query: { fullName: 'John Smith', scoreThreshold: 50, birthdayTimeFrom: '1980-11-07T13:07:59.790Z' }, limit: 1000 })).body.result;
		const all = (await api('search-screening-person', { query: { fullName: 'John Smith', scoreThreshold: 50 }, limit: 1000 })).body.result;
		expect(later.length).toBeGreaterThan(0);
		expect(later.length).toBeLessThan(all.length);
		expect(all.every((m) => m.score >= 50)).toBe(true);
	});

	test('search pages by offset/limit; "John Smith" has more than 150 matches at 50', async () => {
		const q = { query: { fullName: 'John Smith', scoreThreshold: 50 } };
		const all = (await api('search-screening-person', { ...q, limit: 1000 })).body.result;
		expect(all.length).toBeGreaterThan(150);
		const pages = [];
		for (let offset = 0; offset < all.length; offset += 50) pages.push(...(await api('search-screening-person', { ...q, offset, limit: 50 })).body.result);
		expect(pages.map((m) => m.personId)).toEqual(all.map((m) => m.personId));
		expect((await api('search-screening-person', { ...q })).body.result).toHaveLength(100); // default limit
	});

	test('search errors', async () => {
		expect((await api('search-screening-person', { query: { scoreThreshold: 50 } })).body).toEqual({ argumentError: 'wrong-parameters' });
		expect((await api('search-screening-person', { query: { fullName: 'John' } })).body).toEqual({ argumentError: 'wrong-parameters' });
		expect((await api('search-screening-person', {})).body).toEqual({ argumentError: 'wrong-parameters' });
	});

	test('get-screening-person-details: the profile shape; unknown → not-found', async () => {
		const res = await api('get-screening-person-details', { personId: '67137933a2176f0797f1e658' });
		expect(res.body.result).toMatchObject({ entityType: 'person', firstName: 'John', middleName: 'Doe', lastName: 'Smith', gender: 'male', birthdayTime: '1952-10-07', nationality: 'US' });
		const groups = res.body.result.extraDetails.map((g) => g.groupName);
		expect(groups).toEqual(['Profile', 'Position occupied', 'Sanctions']);
		const prop = res.body.result.extraDetails[0].details[0].properties[0];
		expect(prop).toEqual({ propertyName: expect.any(String), value: expect.any(Array), type: expect.any(String) });
		expect((await api('get-screening-person-details', { personId: 'ffffffffffffffffffffffff' })).body).toEqual({ argumentError: 'not-found' });
	});
});

describe('monitoring', () => {
	const gte = sandboxForFile({ monitoringDateFilter: 'gte' });

	test('monitor, already-exists, list, remove', async () => {
		const add = await api('monitor-screening-query', { query: { fullName: 'Jane Roe', birthdayTimeFrom: '1982-12-12' } });
		expect(add.body.result).toMatch(HEX24);
		expect((await api('monitor-screening-query', { query: { fullName: 'Jane Roe', birthdayTimeFrom: '1982-12-12' } })).body).toEqual({ argumentError: 'already-exists' });
		expect((await api('monitor-screening-query', { query: { fullName: 'Jane Roe' } })).body.result).toMatch(HEX24);
		expect((await api('monitor-screening-query', { query: {} })).body).toEqual({ argumentError: 'wrong-parameters' });
		const list = (await api('list-screening-monitoring-records', {})).body.result;
		expect(list).toMatchObject({ start: 0, limit: 50, total: 6 });
		expect(list.data[0]).toEqual({ fullName: 'John Smith1', id: '64ad3b14090678e34512eab8' });
		expect(list.data[4]).toEqual({ fullName: 'Jane Roe', id: add.body.result });
		expect((await api('remove-screening-query-from-monitoring', { id: add.body.result })).body).toEqual({});
		expect((await api('remove-screening-query-from-monitoring', { id: add.body.result })).body).toEqual({ argumentError: 'not-found' });
	});

	test('date keeps records updated after it (gt); touch sets lastUpdatedDate', async () => {
		const at = '2023-07-20T10:50:42.389Z';
		let res = (await api('list-screening-monitoring-records', { date: '2023-07-10T12:26:00.576Z' })).body.result;
		expect(res.total).toBe(1);
		expect(res.data).toEqual([{ fullName: 'Ivan Petrovich Sidorov', id: '64ad3f3a8b3f54aca29fc0a2', lastUpdatedDate: at }]);
		expect((await api('list-screening-monitoring-records', { date: at })).body.result.total).toBe(0);
		const t = new Date();
		sb.monitoring.touch(['64ad3b14090678e34512eab8'], t);
		res = (await api('list-screening-monitoring-records', { date: new Date(t.getTime() - 1).toISOString() })).body.result;
		expect(res.data).toEqual([{ fullName: 'John Smith1', id: '64ad3b14090678e34512eab8', lastUpdatedDate: t.toISOString() }]);
		expect((await api('list-screening-monitoring-records', { date: 'not a date' })).body).toEqual({ argumentError: 'wrong-parameters' });
	});

	test('gte option, 10,000 seeded records paged, limit at most 1000', async () => {
		const at = '2023-07-20T10:50:42.389Z';
		expect((await api('list-screening-monitoring-records', { date: at }, { base: gte })).body.result.total).toBe(1);
		const ids = sb.monitoring.seed(10000);
		expect(new Set(ids).size).toBe(10000);
		const page = (await api('list-screening-monitoring-records', { start: 9990, limit: 50 })).body.result;
		expect(page).toMatchObject({ start: 9990, limit: 50, total: 10004 });
		expect(page.data).toHaveLength(14);
		expect((await api('list-screening-monitoring-records', { limit: 5000 })).body.result.data).toHaveLength(1000);
		sb.monitoring.touch(undefined, new Date('2030-01-01T00:00:00Z'));
		expect((await api('list-screening-monitoring-records', { date: '2029-12-31T00:00:00Z', limit: 1 })).body.result.total).toBe(10004);
	});
});

// ---------- blacklist ----------

describe('blacklist', () => {
	test('add, already-exists, wrong-parameters, list (query and top-level paging), remove', async () => {
		const q = { firstName: 'Mallory', lastName: 'Bad', documentNumber: 'X1', birthday: '1990-05-14', reason: 'Fraud' };
		const add = await api('add-blacklist-record', { query: q });
		expect(add.body.result).toMatch(HEX24);
		expect((await api('add-blacklist-record', { query: q })).body).toEqual({ argumentError: 'already-exists' });
		expect((await api('add-blacklist-record', { query: { reason: 'only a reason' } })).body).toEqual({ argumentError: 'wrong-parameters' });
		expect((await api('add-blacklist-record', { query: { firstName: 'No reason' } })).body).toEqual({ argumentError: 'wrong-parameters' });
		const list = (await api('list-blacklist-records', {})).body.result;
		expect(list).toMatchObject({ offset: 0, limit: 100, total: 2 });
		expect(list.data[0]).toEqual({
			firstName: 'John', lastName: 'Doe', documentNumber: '123ABC123', personalNumber: '012345678901',
			birthday: '1980-01-01T00:00:00.000Z', notes: null, reason: 'Reason for adding to blacklist', id: '682b09e4400b3a00067ebcf7',
		});
		expect(list.data[1]).toMatchObject({ firstName: 'Mallory', personalNumber: null, birthday: '1990-05-14T00:00:00.000Z', notes: null });
		expect((await api('list-blacklist-records', { query: { offset: 1, limit: 1 } })).body.result).toMatchObject({ offset: 1, limit: 1, total: 2, data: [{ firstName: 'Mallory' }] });
		expect((await api('list-blacklist-records', { offset: 1, limit: 5 })).body.result).toMatchObject({ offset: 1, limit: 5, data: [{ firstName: 'Mallory' }] });
		expect((await api('list-blacklist-records', { query: { offset: -1 } })).body).toEqual({ argumentError: 'wrong-parameters' });
		expect((await api('remove-blacklist-record', { id: add.body.result })).body).toEqual({ result: true });
		expect((await api('remove-blacklist-record', { id: add.body.result })).body).toEqual({ argumentError: 'not-found' });
		expect((await api('remove-blacklist-record', {})).body).toEqual({ argumentError: 'wrong-parameters' });
		expect((await api('add-blacklist-record', { companyKey: 'bad', query: q })).body).toEqual({ argumentError: 'invalid-company-key' });
	});
});

// ---------- groups, users, configuration ----------

describe('groups, users and configuration', () => {
	test('list-groups, make-group, change-group, delete-group', async () => {
		expect((await api('list-groups')).body).toEqual({
			result: [{ id: '650976e8dc32104b8bb1757e', name: 'group_name', members: [{ username: 'user1@example.com' }, { username: 'user2@example.com' }] }],
		});
		const users = (await api('list-users')).body.result;
		const made = await api('make-group', { name: 'Group 1', memberIds: [users[0].id] });
		expect(made.body).toEqual({ result: { id: expect.stringMatching(HEX24) } });
		const groupId = made.body.result.id;
		expect((await api('make-group', { name: 'G', memberIds: ['user1_id'] })).body).toEqual({ argumentError: 'wrong-parameters', errorSourceGroup: 'service-module-server-external' });
		expect((await api('change-group', { groupId, name: 'Renamed', memberIds: [users[1].id, users[2].id] })).body).toEqual({});
		const after = (await api('list-groups')).body.result.find((g) => g.id === groupId);
		expect(after).toEqual({ id: groupId, name: 'Renamed', members: [{ username: users[1].username }, { username: users[2].username }] });
		expect((await api('change-group', { groupId, memberIds: ['nope'] })).body).toMatchObject({ argumentError: 'wrong-parameters' });
		expect((await api('delete-group', { groupId })).body).toEqual({});
		expect((await api('delete-group', { groupId })).body).toEqual({ argumentError: 'not-found' });
		expect((await api('change-group', { groupId, name: 'x' })).body).toEqual({ argumentError: 'not-found' });
	});

	test('list-users and create-user with each documented error', async () => {
		const users = (await api('list-users')).body.result;
		expect(users).toHaveLength(3);
		expect(users[0]).toEqual({ id: expect.stringMatching(HEX24), username: expect.any(String), roles: expect.any(Array) });
		const ok = { email: 'new@example.com', password: '12345678', firstName: 'New', lastName: 'User', rights: ['operator'], emailVerified: true };
		const created = await api('create-user', ok);
		expect(created.body.result).toMatch(HEX24);
		expect((await api('list-users')).body.result.at(-1)).toEqual({ id: created.body.result, username: 'new@example.com', roles: ['operator'] });
		expect((await api('create-user', ok)).body).toEqual({ argumentError: 'user-already-exists' });
		expect((await api('create-user', { ...ok, email: 'not-an-email' })).body).toEqual({ argumentError: 'invalid-email-format' });
		expect((await api('create-user', { ...ok, email: 'b@example.com', password: 'short' })).body).toEqual({ argumentError: 'password-too-short' });
		expect((await api('create-user', { ...ok, email: 'b@example.com', password: 12345678 })).body).toEqual({ internalError: 'Illegal arguments: number, string' });
		expect((await api('create-user', { ...ok, email: 'b@example.com', rights: ['identomat_admin'] })).body).toEqual({ argumentError: 'invalid-rights' });
		expect((await api('create-user', { password: '12345678' })).body).toEqual({ argumentError: 'wrong-parameters' });
		const dflt = await api('create-user', { email: 'c@example.com', password: '12345678' });
		expect(sb.state.users.find((u) => u.id === dflt.body.result)?.roles).toEqual(['call_center_operator']);
		expect((await api('create-user', { companyKey: 'bad', ...ok })).body).toEqual({ argumentError: 'invalid-company-key' });
	});

	test('get-session-config', async () => {
		const res = await api('get-session-config', { sessionConfigId: '62412c096c4b39ba845d4bf2' });
		expect(res.body.result).toMatchObject({ id: '62412c096c4b39ba845d4bf2', name: 'Configuration Template', general: { language: 'en', sessionLifetime: 15 } });
		expect(res.body.result.steps.map((s) => s.type)).toEqual(['identity-document', 'liveness', 'user-questionnaire']);
		const agreement = res.body.result.steps[2];
		expect(agreement).toMatchObject({ key: 'agreement', questions: [{ key: 'agreement-1', type: 'string' }, { key: 'agreement-2', type: 'string' }] });
		expect((await api('get-session-config', {})).body).toEqual({ argumentError: 'wrong-parameters' });
		expect((await api('get-session-config', { sessionConfigId: 'defg' })).body).toEqual({ argumentError: 'wrong-parameters' });
		expect((await api('get-session-config', { sessionConfigId: 'aaaaaaaaaaaaaaaaaaaaaaaa' })).body).toEqual({ argumentError: 'not-found' });
	});
});

// ---------- faults ----------

describe('faults', () => {
	test('status, html, rateLimit, errorCode, bareString; matching by host/path and times', async () => {
		sb.faults.add({ host: 'api', path: 'list-groups', kind: 'status', status: 503 });
		sb.faults.add({ path: 'list-users', kind: 'html' });
		sb.faults.add({ kind: 'rateLimit', path: 'list-blacklist-records', retryAfter: 2, times: 2 });
		sb.faults.add({ kind: 'errorCode', path: 'result/', code: 'session-not-found' });
		sb.faults.add({ kind: 'bareString', host: 'widget', path: 'begin/', code: 'COMPANY_KEY_INVALID' });
		const status = await api('list-groups');
		expect(status.status).toBe(503);
		expect(status.body.internalError).toEqual(expect.any(String));
		expect((await api('list-groups')).status).toBe(200); // consumed
		const page = await api('list-users');
		expect(page.status).toBe(502);
		expect(page.headers.get('content-type')).toMatch(/text\/html/);
		expect(page.buf.toString()).toContain('502 Bad Gateway');
		for (let i = 0; i < 2; i++) {
			const rl = await api('list-blacklist-records');
			expect(rl.status).toBe(429);
			expect(rl.headers.get('retry-after')).toBe('2');
		}
		expect((await api('list-blacklist-records')).status).toBe(200);
		const id = sb.createCompletedSession();
		expect((await widget('result/card-front/', { session_token: id })).status).toBe(200); // other path unaffected
		expect(await widget('result/', { session_token: id })).toMatchObject({ status: 200, body: { argumentError: 'session-not-found' } });
		expect(await widget('begin/', {})).toMatchObject({ status: 200, body: 'COMPANY_KEY_INVALID' });
		expect(sb.faults.list).toHaveLength(0);
	});

	test('reset, truncate and latency; Infinity keeps a fault', async () => {
		sb.faults.add({ kind: 'reset', path: 'list-groups', times: Infinity });
		await expect(fetch(`${sb.apiBaseUrl}/list-groups`, { method: 'POST', body: '{}' })).rejects.toThrow();
		await expect(fetch(`${sb.apiBaseUrl}/list-groups`, { method: 'POST', body: '{}' })).rejects.toThrow();
		expect(sb.faults.list).toHaveLength(1);
		sb.faults.clear();
		const id = sb.createCompletedSession();
		sb.faults.add({ kind: 'truncate', path: 'export-session-as-pdf' });
		const cut = await rawPost(`${sb.apiBaseUrl}/export-session-as-pdf`, JSON.stringify({ companyKey: KEY, sessionId: id, exportSession: true }));
		expect(cut.aborted).toBe(true);
		expect(cut.buf.length).toBe(Math.floor(Number(cut.headers['content-length']) / 2));
		sb.faults.add({ kind: 'latency', path: 'list-users', delayMs: 300 });
		let t = Date.now();
		expect((await api('list-users')).status).toBe(200);
		expect(Date.now() - t).toBeGreaterThanOrEqual(290);
		sb.setLatency(150);
		t = Date.now();
		await api('list-users');
		expect(Date.now() - t).toBeGreaterThanOrEqual(140);
		sb.setLatency(0);
	});

	test('timeout: the client gives up; close() still closes at once', async () => {
		const other = await startSandbox();
		other.faults.add({ kind: 'timeout' });
		const started = Date.now();
		await expect(
			fetch(`${other.apiBaseUrl}/list-users`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(200) }),
		).rejects.toThrow();
		expect(Date.now() - started).toBeLessThan(2000);
		other.faults.add({ kind: 'timeout' });
		const hung = fetch(`${other.apiBaseUrl}/list-users`, { method: 'POST', body: '{}' }).catch((e) => e);
		await new Promise((r) => setTimeout(r, 50));
		const t = Date.now();
		await other.close();
		expect(Date.now() - t).toBeLessThan(1000);
		expect(await hung).toHaveProperty('message', 'fetch failed');
	});

	test('malformedDataUri: corrupt base64 or no comma', async () => {
		const id = sb.createCompletedSession();
		sb.faults.add({ kind: 'malformedDataUri', path: 'get-session-main-document-face-photo' });
		const bad = (await api('get-session-main-document-face-photo', { sessionId: id })).body.result;
		expect(bad.startsWith('data:text/plain;base64,')).toBe(true);
		expect(() => decodeDataUri(bad)).toThrow();
		sb.faults.add({ kind: 'malformedDataUri', path: 'get-video-call-shots', variant: 'noComma' });
		const shots = (await api('get-video-call-shots', { sessionId: id })).body.result;
		expect(shots[0][0]).not.toContain(',');
		expect(() => decodeDataUri(shots[0][1])).not.toThrow();
		const clean = (await api('get-session-main-document-face-photo', { sessionId: id })).body.result;
		expect(() => decodeDataUri(clean)).not.toThrow();
	});

	test('malformedArchive: cut short, or a bad header checksum', async () => {
		const id = sb.createCompletedSession();
		sb.faults.add({ kind: 'malformedArchive', path: 'get-video-call-videos' });
		const short = await api('get-video-call-videos', { sessionId: id });
		expect(is.tar(short.buf)).toBe(true);
		expect(() => untar(short.buf)).toThrow('cut short');
		sb.faults.add({ kind: 'malformedArchive', variant: 'checksum' });
		const bad = await api('get-video-call-videos', { sessionId: id });
		expect(() => untar(bad.buf)).toThrow('bad header checksum');
		expect(untar((await api('get-video-call-videos', { sessionId: id })).buf)).toHaveLength(3);
	});

	test('unknown kinds are refused', () => {
		expect(() => sb.faults.add({ kind: 'explode' })).toThrow(/unknown fault kind/);
	});
});

// ---------- HMAC ----------

describe('HMAC mode', () => {
	const SECRET = 's3cr3t-hmac-key';
	const hs = sandboxForFile({ secretKey: SECRET, companyKey: 'hmac-company', recordingBytes: 8 * 1024, recordingCount: 2 });
	const auth = (sig: string) => ({ Authorization: `signature="${sig}"` });

	test('JSON: valid → 200 with a response signature; invalid or missing → 401 invalid-signature', async () => {
		const body = JSON.stringify({ companyKey: 'hmac-company' });
		const ok = await fetch(`${hs.apiBaseUrl}/list-users`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...auth(signBody(SECRET, body)) }, body });
		const okBuf = Buffer.from(await ok.arrayBuffer());
		expect(ok.status).toBe(200);
		expect(ok.headers.get('authorization')).toBe(`signature="${signBody(SECRET, okBuf)}"`);
		const wrong = await fetch(`${hs.apiBaseUrl}/list-users`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...auth(signBody('other', body)) }, body });
		expect(wrong.status).toBe(401);
		expect(await wrong.json()).toEqual({ argumentError: 'invalid-signature' });
		expect(wrong.headers.get('authorization')).toBeNull();
		const missing = await fetch(`${hs.apiBaseUrl}/list-users`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
		expect(missing.status).toBe(401);
		expect(hs.requests.map((r) => r.signature)).toEqual(['valid', 'invalid', 'missing']);
		// a signed request answered with an error body: no signature on the answer
		const badKey = JSON.stringify({ companyKey: 'nope' });
		const err = await fetch(`${hs.apiBaseUrl}/list-users`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...auth(signBody(SECRET, badKey)) }, body: badKey });
		expect(await err.json()).toEqual({ argumentError: 'invalid-company-key' });
		expect(err.headers.get('authorization')).toBeNull();
	});

	test('multipart: chained over text fields first, then files', async () => {
		const image = hs.fixtures['card-front.jpg'];
		const fd = new FormData();
		fd.append('image', new Blob([new Uint8Array(image)]), 'id.jpg'); // the file comes first in the body
		fd.append('company_key', 'hmac-company');
		const good = signParts(SECRET, [Buffer.from('hmac-company'), image]);
		const ok = await fetch(`${hs.widgetBaseUrl}/card/front/`, { method: 'POST', headers: auth(good), body: fd });
		const okBuf = Buffer.from(await ok.arrayBuffer());
		expect(ok.status).toBe(200);
		expect(JSON.parse(okBuf.toString()).requestId).toBeDefined();
		expect(ok.headers.get('authorization')).toBe(`signature="${signBody(SECRET, okBuf)}"`);
		const bodyOrder = signParts(SECRET, [image, Buffer.from('hmac-company')]);
		const bad = await fetch(`${hs.widgetBaseUrl}/card/front/`, { method: 'POST', headers: auth(bodyOrder), body: fd });
		expect(bad.status).toBe(401);
		// two text fields chained: d1 = HMAC(secret, v1), d2 = HMAC(d1, v2)
		const d1 = crypto.createHmac('sha256', SECRET).update('hmac-company').digest();
		const d2 = crypto.createHmac('sha256', d1).update('{"language":"en"}').digest('base64');
		const fd2 = new FormData();
		fd2.append('company_key', 'hmac-company');
		fd2.append('flags', '{"language":"en"}');
		const begun = await fetch(`${hs.widgetBaseUrl}/begin/`, { method: 'POST', headers: auth(d2), body: fd2 });
		expect(await begun.json()).toMatch(TOKEN);
	});

	test('url-encoded and query-string requests are signed over the raw body / raw query', async () => {
		const form = 'company_key=hmac-company&flags=%7B%7D';
		const a = await fetch(`${hs.widgetBaseUrl}/begin/`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...auth(signBody(SECRET, form)) }, body: form });
		const token = await a.json();
		expect(token).toMatch(TOKEN);
		const qs = `company_key=hmac-company&session_token=${token}`;
		const b = await fetch(`${hs.widgetBaseUrl}/result/?${qs}`, { headers: auth(signBody(SECRET, qs)) });
		expect((await b.json()).result).toBe('in_progress');
	});

	test('streamed answers (archive) carry the signature of their exact bytes', async () => {
		const id = hs.createCompletedSession();
		const body = JSON.stringify({ companyKey: 'hmac-company', sessionId: id });
		const r = await fetch(`${hs.apiBaseUrl}/get-video-call-videos`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...auth(signBody(SECRET, body)) }, body });
		const buf = Buffer.from(await r.arrayBuffer());
		expect(untar(buf)).toHaveLength(2);
		expect(r.headers.get('authorization')).toBe(`signature="${signBody(SECRET, buf)}"`);
	});

	test('control and page requests need no signature', async () => {
		const r = await fetch(`${hs.url}/__sandbox/state`);
		expect(r.status).toBe(200);
		expect(hs.requests.at(-1)?.signature).toBeNull();
	});
});

// ---------- control endpoints, callbacks, widget page ----------

describe('control endpoints', () => {
	test('sessions, complete, requests, state, reset', async () => {
		const created = await control('POST', 'sessions', { result: 'rejected', videoCall: false });
		expect(created.body.sessionId).toMatch(TOKEN);
		expect(sb.state.sessions.get(created.body.sessionId)?.result).toBe('rejected');
		const token = (await widget('begin/', {})).body;
		expect((await control('POST', `sessions/${token}/complete`, { result: 'approved' })).body).toEqual({ sessionId: token, result: 'approved' });
		expect((await control('POST', `sessions/${'x'.repeat(40)}/complete`, {})).status).toBe(400);
		const reqs = await control('GET', 'requests');
		expect(reqs.body.map((r) => `${r.host} ${r.path}`)).toEqual(['control sessions', 'widget begin/', 'control sessions/' + token + '/complete', `control sessions/${'x'.repeat(40)}/complete`, 'control requests']);
		expect((await control('DELETE', 'requests')).body).toEqual({});
		expect(sb.requests).toHaveLength(0);
		const state = (await control('GET', 'state')).body;
		expect(state).toMatchObject({ sessions: 2, users: 3, groups: 1, blacklist: 1, monitoring: 4, configs: 1 });
		expect((await control('POST', 'reset')).body).toEqual({});
		expect(sb.state.sessions.size).toBe(0);
		expect((await control('GET', 'nope')).status).toBe(404);
	});

	test('monitoring/seed, monitoring/touch, faults', async () => {
		const seeded = (await control('POST', 'monitoring/seed', { count: 25 })).body.ids;
		expect(seeded).toHaveLength(25);
		const touched = await control('POST', 'monitoring/touch', { ids: seeded.slice(0, 3), date: '2031-01-01T00:00:00.000Z' });
		expect(touched.body).toEqual({ touched: 3 });
		expect((await api('list-screening-monitoring-records', { date: '2030-12-31T00:00:00Z' })).body.result.total).toBe(3);
		expect((await control('POST', 'faults', { path: 'list-users', kind: 'status', status: 500, times: 'Infinity' })).status).toBe(200);
		expect((await api('list-users')).status).toBe(500);
		expect((await api('list-users')).status).toBe(500);
		expect((await control('DELETE', 'faults')).body).toEqual({});
		expect((await api('list-users')).status).toBe(200);
		expect((await control('POST', 'faults', { kind: 'nope' })).status).toBe(400);
	});

	test('callbacks: POST a company callback JSON to a URL', async () => {
		const got: unknown[] = [];
		const receiver = http.createServer((req, res) => {
			let data = '';
			req.on('data', (c) => (data += c));
			req.on('end', () => {
				got.push({ type: req.headers['content-type'], body: JSON.parse(data) });
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.end('{"ok":true}');
			});
		});
		await new Promise((r) => receiver.listen(0, '127.0.0.1', () => r(undefined)));
		const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
		try {
			const body = { callbackApiKey: 'cb-key', type: 'one-time-password-request', sessionId: 'abc', text: 'Your code is 1234', phoneNumber: '+1234567890' };
			expect(await sb.sendCallback(url, body)).toEqual({ status: 200, body: { ok: true } });
			expect((await control('POST', 'callbacks', { url, body })).body).toEqual({ status: 200, body: { ok: true } });
			expect(got).toEqual([{ type: 'application/json', body }, { type: 'application/json', body }]);
		} finally {
			receiver.close();
		}
	});
});

describe('what the sandbox shows a person trying it', () => {
	test('GET /__sandbox/fixtures/ (with or without the slash) lists every sample file with its URL, path and what it shows', async () => {
		for (const path of ['fixtures', 'fixtures/']) {
			const { status, body } = await control('GET', path);
			expect(status).toBe(200);
			expect(body.fixtures.sort()).toEqual(Object.keys(sb.fixtures).sort());
			expect(body.files.length).toBe(body.fixtures.length);
			for (const f of body.files) {
				expect(f.note).not.toBe('');
				expect(fs.readFileSync(f.file).equals(sb.fixtures[f.name])).toBe(true);
				const served = await fetch(f.url);
				expect(Buffer.from(await served.arrayBuffer()).equals(sb.fixtures[f.name])).toBe(true);
			}
		}
	});

	test('a browser opening /__sandbox/fixtures/ gets a page of links', async () => {
		const page = await fetch(`${sb.url}/__sandbox/fixtures/`, { headers: { accept: 'text/html,application/xhtml+xml' } });
		expect(page.status).toBe(200);
		expect(page.headers.get('content-type')).toContain('text/html');
		const text = await page.text();
		for (const name of Object.keys(sb.fixtures)) expect(text).toContain(`href="${sb.url}/__sandbox/fixtures/${name}"`);
	});

	test('the home page lists the sample files and the test endpoints', async () => {
		const text = await (await fetch(`${sb.url}/`)).text();
		expect(text).toContain('Sample files');
		for (const name of Object.keys(sb.fixtures)) expect(text).toContain(`/__sandbox/fixtures/${name}`);
		expect(text).toContain('Test endpoints');
		for (const path of ['sessions', 'monitoring/touch', 'callbacks', 'fixtures', 'requests', 'reset']) expect(text).toContain(`${sb.url}/__sandbox/${path}`);
	});
});

describe('widget page', () => {
	test('Approve completes the session and redirects to return_url', async () => {
		const token = (await widget('begin/', { flags: { return_url: 'http://127.0.0.1:9/after' } })).body;
		const page = await fetch(`${sb.url}/?session_token=${token}`);
		const html = await page.text();
		expect(html).toContain('Identomat sandbox');
		expect(html).toMatch(/Approve/);
		expect(html).toMatch(/Reject/);
		const post = await fetch(`${sb.url}/?session_token=${token}`, { method: 'POST', body: new URLSearchParams({ decision: 'approved' }), redirect: 'manual' });
		expect(post.status).toBe(303);
		expect(post.headers.get('location')).toBe('http://127.0.0.1:9/after');
		expect((await widget('result/', { session_token: token })).body.result).toBe('approved');
		const acts = (await api('list-session-activities', { sessionId: token })).body.result.map((a) => a.type);
		expect(acts[0]).toBe('PAGE_LOADED');
		expect(acts.at(-1)).toBe('SESSION_APPROVED');
	});

	test('Reject without return_url shows Done; unknown token → 404; /widget/ works too', async () => {
		const token = (await widget('begin/', {})).body;
		const post = await fetch(`${sb.url}/widget/?session_token=${token}`, { method: 'POST', body: new URLSearchParams({ decision: 'rejected' }) });
		expect(post.status).toBe(200);
		expect(await post.text()).toContain('Done');
		expect(sb.state.sessions.get(token)?.result).toBe('rejected');
		expect((await fetch(`${sb.url}/?session_token=nope`)).status).toBe(404);
		expect(sb.requests.at(-1)).toMatchObject({ host: 'page', status: 404 });
	});
});

test('prints nothing while serving', async () => {
	const log = jest.spyOn(console, 'log');
	const err = jest.spyOn(console, 'error');
	try {
		await api('list-users');
		await widget('begin/', {});
		expect(log).not.toHaveBeenCalled();
		expect(err).not.toHaveBeenCalled();
	} finally {
		log.mockRestore();
		err.mockRestore();
	}
});

test('every endpoint answered its documented success shape', () => {
	const widget = ROUTES.filter((r) => r.host === 'widget').length;
	expect([...succeeded].filter((p) => p.endsWith('/'))).toHaveLength(widget);
	expect([...succeeded].filter((p) => !p.endsWith('/'))).toHaveLength(ROUTES.length - widget);
	expect(widget).toBeGreaterThan(0);
});
