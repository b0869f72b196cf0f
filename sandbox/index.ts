/**
 * The Identomat sandbox: a local HTTP server that behaves like the Identomat KYC API.
 * See README.md beside this file.
 */
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import * as admin from './admin.ts';
import * as blacklist from './blacklist.ts';
import { createControl } from './control.ts';
import * as documents from './documents.ts';
import { createFaults } from './faults.ts';
import { signBody, signParts } from './hmac.ts';
import * as media from './media.ts';
import * as screening from './screening.ts';
import { createServer } from './server.ts';
import * as sessions from './sessions.ts';
import { initialState } from './state.ts';
import type { IdentomatHost, Internals, ResolvedOptions, Route, Sandbox, SandboxOptions } from './types.ts';
import * as widget from './widget.ts';

export type * from './types.ts';

/** Every Identomat endpoint the sandbox serves, one route each. */
const ROUTES: readonly Route[] = [...widget.routes, ...documents.routes, ...sessions.routes, ...screening.routes, ...blacklist.routes, ...admin.routes];

/** The Identomat endpoints the sandbox serves, by host and path (its control endpoints and pages left out). */
function routeKeys(): Array<{ host: IdentomatHost; path: string }> {
	return ROUTES.map(({ host, path }) => ({ host, path }));
}

/**
 * POSTs a company callback as Identomat does (JSON, no signature header).
 */
function postJson(url: string, body: unknown): Promise<{ status: number; body: unknown; }> {
	const u = new URL(url);
	const data = Buffer.from(JSON.stringify(body ?? {}));
	const lib = u.protocol === 'https:' ? https : http;
	return new Promise((resolve, reject) => {
		const req = lib.request(
			u,
			{ method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': data.length, 'User-Agent': 'Identomat-Callback/sandbox' }, timeout: 15000 },
			(res) => {
				const chunks: Buffer[] = [];
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

function resolveOptions(options: SandboxOptions): ResolvedOptions {
	return {
		companyKey: options.companyKey ?? 'sandbox-company-key',
		secretKey: options.secretKey || undefined,
		videoBytes: options.videoBytes ?? 256 * 1024,
		recordingBytes: options.recordingBytes ?? 128 * 1024,
		recordingCount: options.recordingCount ?? 3,
		monitoringDateFilter: options.monitoringDateFilter === 'gte' ? 'gte' : 'gt',
		log: options.log ?? process.env.SANDBOX_LOG === '1',
	};
}

/**
 * Starts a sandbox on 127.0.0.1 (`port` 0: any free port). All its state lives in the object it
 * answers, so sandboxes in one process are independent, and reset() makes one as good as new.
 */
async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const sb: Internals = {
		options: resolveOptions(options),
		state: initialState(),
		requests: [],
		faults: createFaults(),
		latencyMs: options.latencyMs ?? 0,
		listing: screening.initialListing(),
		routes: new Map(ROUTES.map((r) => [`${r.host} ${r.path}`, r])),
		digestCache: new Map(),
		sockets: new Set(),
		timers: new Set(),
		widgetPage: widget.widgetPage,
		control: () => Promise.reject(new Error('the control endpoints are not set up yet')),
		url: '',
		widgetBaseUrl: '',
		apiBaseUrl: '',
	};
	const server = createServer(sb);
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined));
	});
	const port = (server.address() as net.AddressInfo).port;
	sb.url = `http://127.0.0.1:${port}`;
	sb.widgetBaseUrl = `${sb.url}/widget/external-api`;
	sb.apiBaseUrl = `${sb.url}/api`;

	const api: Sandbox = {
		port,
		url: sb.url,
		widgetBaseUrl: sb.widgetBaseUrl,
		apiBaseUrl: sb.apiBaseUrl,
		companyKey: sb.options.companyKey,
		secretKey: sb.options.secretKey,
		get options() {
			return sb.options;
		},
		sessionUrl: (sessionId) => `${sb.url}/?session_token=${encodeURIComponent(sessionId)}`,
		fixtures: media.fixtures,
		requests: sb.requests,
		clearRequests() {
			sb.requests.length = 0;
		},
		setLatency(ms) {
			sb.latencyMs = Math.max(0, Number(ms) || 0);
		},
		get latencyMs() {
			return sb.latencyMs;
		},
		faults: {
			add: sb.faults.add,
			clear: sb.faults.clear,
			list: sb.faults.list,
		},
		get listing() {
			return sb.listing;
		},
		monitoring: screening.monitoringApi(sb),
		createCompletedSession(o = {}) {
			return sessions.createCompletedSession(sb, o).id;
		},
		completeSession(sessionId, result = 'approved', o = {}) {
			const s = sb.state.sessions.get(sessionId);
			if (!s) throw new Error(`unknown session ${sessionId}`);
			sessions.finishSession(sb, s, result, o);
			return sessionId;
		},
		get state() {
			return sb.state;
		},
		sendCallback: (url, body) => postJson(url, body),
		reset() {
			sb.options = resolveOptions(options);
			sb.state = initialState();
			sb.requests.length = 0;
			sb.faults.clear();
			sb.latencyMs = options.latencyMs ?? 0;
			sb.listing = screening.initialListing();
			sb.digestCache.clear();
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

export { startSandbox, routeKeys, signBody, signParts, ROUTES };
