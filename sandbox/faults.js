// @ts-check
'use strict';
/** Injected faults: each matches a host/path (omitted = any) and is consumed `times` times. */

const KINDS = [
	'status',
	'html',
	'rateLimit',
	'reset',
	'timeout',
	'truncate',
	'malformedDataUri',
	'malformedArchive',
	'errorCode',
	'bareString',
	'latency',
	'redirect',
	'stall',
	'drip',
	'body',
];
/** Kinds applied before the handler runs; the others are taken by the handlers that produce the content. */
const BEFORE_HANDLER = ['status', 'html', 'rateLimit', 'reset', 'timeout', 'truncate', 'stall', 'drip', 'errorCode', 'bareString', 'latency', 'redirect', 'body'];

/**
 * @typedef {{ host?: 'widget'|'api', path?: string, kind: string, times: number, status?: number, retryAfter?: number,
 *   code?: string, delayMs?: number, variant?: string, location?: string, afterBytes?: number, body?: string,
 *   bodyBase64?: string, type?: string, headers?: Record<string, string>, chunkBytes?: number, used: number }} Fault
 * `truncate` cuts the connection after `afterBytes` bytes of the body (default: half of it); `stall`
 * sends the headers and `afterBytes` bytes (default 0), then nothing more; `body` answers HTTP 200
 * with `body` (text) or `bodyBase64` of type `type` (and extra `headers`) instead of what the endpoint
 * would; `drip` sends the body in pieces of `chunkBytes` (default 4096), `delayMs` (default 300) apart.
 */

function createFaults() {
	/** @type {Fault[]} */
	const list = [];
	return {
		list,
		/** @param {Partial<Fault> & { kind: string, times?: number|string|null }} spec @returns {Fault} */
		add(spec) {
			if (!spec || !KINDS.includes(spec.kind)) throw new Error(`unknown fault kind: ${spec && spec.kind}; one of ${KINDS.join(', ')}`);
			if (spec.host !== undefined && spec.host !== 'widget' && spec.host !== 'api') throw new Error(`fault host must be 'widget' or 'api'`);
			/** @type {unknown} */
			let times = spec.times;
			if (times === undefined) times = 1;
			else if (times === null || times === 'Infinity' || times === 'infinity') times = Infinity;
			if (typeof times !== 'number' || !(times > 0)) throw new Error('fault times must be a positive number or Infinity');
			/** @type {Fault} */
			const fault = { ...spec, path: spec.path?.replace(/^\//, ''), times, used: 0 };
			list.push(fault);
			return fault;
		},
		clear() {
			list.length = 0;
		},
		/**
		 * Takes the first fault of one of `kinds` matching host/path, consuming one use.
		 * @param {string} host @param {string} path @param {string[]} kinds @returns {Fault|undefined}
		 */
		take(host, path, kinds) {
			const i = list.findIndex((f) => kinds.includes(f.kind) && (!f.host || f.host === host) && (f.path === undefined || f.path === path));
			if (i < 0) return undefined;
			const f = list[i];
			f.used++;
			if (f.used >= f.times) list.splice(i, 1);
			return f;
		},
	};
}

module.exports = { createFaults, KINDS, BEFORE_HANDLER };
