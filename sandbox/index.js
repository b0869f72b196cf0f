// @ts-check
'use strict';
/**
 * The Identomat sandbox: a local HTTP server that behaves like the Identomat KYC API.
 * See README.md beside this file.
 */
const http = require('node:http');
const https = require('node:https');
const { createServer } = require('./server');
const { createFaults } = require('./faults');
const { createControl } = require('./control');
const { initialState } = require('./state');
const { signBody, signParts } = require('./hmac');
const sessions = require('./sessions');
const screening = require('./screening');
const widget = require('./widget');
const media = require('./media');

/** Every Identomat endpoint the sandbox serves, one route each (test/unit/description.test.ts: one operation per route). */
const ROUTES = [
	...widget.routes,
	...require('./documents').routes,
	...sessions.routes,
	...screening.routes,
	...require('./blacklist').routes,
	...require('./admin').routes,
];

/**
 * POSTs a company callback as Identomat does (JSON, no signature header).
 * @param {string} url @param {unknown} body @returns {Promise<{ status: number, body: unknown }>}
 */
function postJson(url, body) {
	const u = new URL(url);
	const data = Buffer.from(JSON.stringify(body ?? {}));
	const lib = u.protocol === 'https:' ? https : http;
	return new Promise((resolve, reject) => {
		const req = lib.request(
			u,
			{ method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': data.length, 'User-Agent': 'Identomat-Callback/sandbox' }, timeout: 15000 },
			(res) => {
				/** @type {Buffer[]} */
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let parsed = text;
					try {
						parsed = JSON.parse(text);
					} catch {}
					resolve({ status: res.statusCode ?? 0, body: parsed });
				});
				res.on('error', reject);
			},
		);
		req.on('timeout', () => req.destroy(new Error('callback timed out')));
		req.on('error', reject);
		req.end(data);
	});
}

/**
 * @param {{ port?: number, companyKey?: string, secretKey?: string, videoBytes?: number, recordingBytes?: number,
 *   recordingCount?: number, latencyMs?: number, monitoringDateFilter?: 'gt'|'gte', log?: boolean }} [options]
 */
async function startSandbox(options = {}) {
	const opts = {
		companyKey: options.companyKey ?? 'sandbox-company-key',
		secretKey: options.secretKey || undefined,
		videoBytes: options.videoBytes ?? 256 * 1024,
		recordingBytes: options.recordingBytes ?? 128 * 1024,
		recordingCount: options.recordingCount ?? 3,
		monitoringDateFilter: options.monitoringDateFilter === 'gte' ? 'gte' : 'gt',
		log: options.log ?? process.env.SANDBOX_LOG === '1',
	};
	const state = initialState();
	/** the internals the modules work on */
	const sb = {
		options: opts,
		state,
		/** @type {any[]} */
		requests: [],
		faults: createFaults(),
		latencyMs: options.latencyMs ?? 0,
		routes: new Map(ROUTES.map((r) => [`${r.host} ${r.path}`, r])),
		monitoringKeys: new Set(state.monitoring.map((r) => r.key)),
		digestCache: new Map(),
		sockets: new Set(),
		timers: new Set(),
		widgetPage: widget.widgetPage,
		/** @type {any} */
		control: null,
		url: '',
		widgetBaseUrl: '',
		apiBaseUrl: '',
	};
	const server = createServer(sb);
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined));
	});
	const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
	sb.url = `http://127.0.0.1:${port}`;
	sb.widgetBaseUrl = `${sb.url}/widget/external-api`;
	sb.apiBaseUrl = `${sb.url}/api`;
	const monitoring = screening.monitoringApi(sb);

	const api = {
		port,
		url: sb.url,
		widgetBaseUrl: sb.widgetBaseUrl,
		apiBaseUrl: sb.apiBaseUrl,
		companyKey: opts.companyKey,
		secretKey: opts.secretKey,
		options: opts,
		/** The page a person opens for a session (like https://widget.identomat.com/?session_token=<id>). @param {string} sessionId */
		sessionUrl: (sessionId) => `${sb.url}/?session_token=${encodeURIComponent(sessionId)}`,
		/** the committed fixture files by name (Buffers) */
		fixtures: media.fixtures,
		requests: sb.requests,
		clearRequests() {
			sb.requests.length = 0;
		},
		/** @param {number} ms */
		setLatency(ms) {
			sb.latencyMs = Math.max(0, Number(ms) || 0);
		},
		faults: {
			add: sb.faults.add,
			clear: sb.faults.clear,
			list: sb.faults.list,
		},
		/** @param {Parameters<typeof sessions.createCompletedSession>[1]} [o] */
		createCompletedSession(o = {}) {
			return sessions.createCompletedSession(sb, o).id;
		},
		/** @param {string} sessionId @param {string} [result] @param {Parameters<typeof sessions.finishSession>[3]} [o] */
		completeSession(sessionId, result = 'approved', o = {}) {
			const s = state.sessions.get(sessionId);
			if (!s) throw new Error(`unknown session ${sessionId}`);
			sessions.finishSession(sb, s, result, o);
			return sessionId;
		},
		monitoring,
		get state() {
			return state;
		},
		/** @param {string} url @param {unknown} body */
		sendCallback: (url, body) => postJson(url, body),
		reset() {
			Object.assign(state, initialState());
			sb.monitoringKeys = new Set(state.monitoring.map((r) => r.key));
			sb.requests.length = 0;
			sb.faults.clear();
			sb.latencyMs = options.latencyMs ?? 0;
		},
		async close() {
			for (const t of sb.timers) clearTimeout(t);
			sb.timers.clear();
			const closed = new Promise((resolve) => server.close(() => resolve(undefined)));
			for (const s of sb.sockets) s.destroy();
			await closed;
		},
	};
	sb.control = createControl(api);
	return api;
}

module.exports = { startSandbox, signBody, signParts, ROUTES };
