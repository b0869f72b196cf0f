/** Injected faults: each matches a host/path (omitted = any) and is consumed `times` times (the kinds: types.ts, Fault). */
import type { Fault, Faults, FaultSpec } from './types.ts';

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

function createFaults(): Faults {
	const list: Fault[] = [];
	return {
		list,
		add(spec: FaultSpec): Fault {
			if (!spec || !KINDS.includes(spec.kind)) throw new Error(`unknown fault kind: ${spec && spec.kind}; one of ${KINDS.join(', ')}`);
			if (spec.host !== undefined && spec.host !== 'widget' && spec.host !== 'api') throw new Error(`fault host must be 'widget' or 'api'`);
			let times: unknown = spec.times;
			if (times === undefined) times = 1;
			else if (times === null || times === 'Infinity' || times === 'infinity') times = Infinity;
			if (typeof times !== 'number' || !(times > 0)) throw new Error('fault times must be a positive number or Infinity');
			const fault: Fault = { ...spec, path: spec.path?.replace(/^\//, ''), times, used: 0 };
			list.push(fault);
			return fault;
		},
		clear() {
			list.length = 0;
		},
		/**
		 * Takes the first fault of one of `kinds` matching host/path, consuming one use.
		 */
		take(host: string, path: string, kinds: readonly string[]): Fault | undefined {
			const i = list.findIndex((f) => kinds.includes(f.kind) && (!f.host || f.host === host) && (f.path === undefined || f.path === path));
			if (i < 0) return undefined;
			const f = list[i];
			f.used++;
			if (f.used >= f.times) list.splice(i, 1);
			return f;
		},
	};
}

export { createFaults, KINDS, BEFORE_HANDLER };
