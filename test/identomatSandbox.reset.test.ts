/**
 * reset() makes a used sandbox as good as a fresh one: every kind of state it keeps (data, the
 * request log, faults, latency, the list endpoints' controls and clock, options changed at run
 * time) is put back, so no test leaks into the next.
 */
import { type Sandbox, startSandbox } from '../sandbox/index.ts';

const OPTIONS = { port: 0, latencyMs: 0, recordingBytes: 40 * 1024 };

/** Everything a sandbox keeps, as plain data (ids of sessions, since they are random). */
function everything(sb: Sandbox) {
	const { sessions, ...data } = sb.state;
	return {
		sessions: sessions.size,
		data: { ...data, monitoringKeys: [...data.monitoringKeys].sort(), configs: [...data.configs.entries()] },
		requests: sb.requests.length,
		faults: sb.faults.list.length,
		latencyMs: sb.latencyMs,
		listing: { ...sb.listing },
		options: { ...sb.options },
	};
}

async function call(sb: Sandbox, path: string, body: object) {
	const r = await fetch(`${sb.apiBaseUrl}/${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ companyKey: sb.companyKey, ...body }),
	});
	return { body: await r.json() };
}

let fresh: Sandbox;
let used: Sandbox;
beforeAll(async () => {
	[fresh, used] = await Promise.all([startSandbox(OPTIONS), startSandbox(OPTIONS)]);
});
afterAll(async () => await Promise.all([fresh?.close(), used?.close()]));

test('reset() after every kind of change leaves the sandbox as a fresh one', async () => {
	const before = everything(fresh);

	// data: sessions (made and begun), monitoring, blacklist, groups, users
	used.createCompletedSession();
	await fetch(`${used.widgetBaseUrl}/begin/`, { method: 'POST', body: new URLSearchParams({ company_key: used.companyKey }) });
	used.monitoring.seed(3);
	used.monitoring.touch();
	await call(used, 'monitor-screening-query', { query: { fullName: 'Someone Monitored' } });
	await call(used, 'add-blacklist-record', { query: { firstName: 'Ann', reason: 'test' } });
	await call(used, 'make-group', { name: 'another group' });
	await call(used, 'create-user', { email: 'new@example.com', password: 'long enough' });
	used.state.configs.clear();
	// faults, latency, the list controls and clock, options changed while running
	used.faults.add({ kind: 'status', status: 503, times: Infinity });
	used.setLatency(5);
	used.listing.clockOffsetMs = 60_000;
	used.listing.order = 'updated';
	used.listing.maxPage = 2;
	used.listing.beforePage = () => undefined;
	used.options.videoBytes = 1;
	expect(everything(used)).not.toEqual(before);

	used.reset();

	expect(everything(used)).toEqual(before);
	// What comes next is what a fresh sandbox answers: the made-up people count from 1 again.
	used.monitoring.seed(2);
	fresh.monitoring.seed(2);
	expect(used.state.monitoring.map((r) => r.fullName)).toEqual(fresh.state.monitoring.map((r) => r.fullName));
	const [a, b] = await Promise.all([call(used, 'list-blacklist-records', {}), call(fresh, 'list-blacklist-records', {})]);
	expect(a.body).toEqual(b.body);
});

test('two sandboxes in one process share no state', async () => {
	used.reset();
	fresh.reset();
	used.listing.clockOffsetMs = 60_000;
	used.monitoring.seed(1);
	expect(fresh.listing.clockOffsetMs).toBe(0);
	expect(fresh.state.monitoring).toHaveLength(used.state.monitoring.length - 1);
});
