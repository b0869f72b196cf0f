/**
 * The Identomat Trigger (polling) through n8n-core's real PollContext against the sandbox:
 * scripted sequences of changes, failures mid-paging and restarts, checked version by version
 * for duplicates and losses, under both a strictly-after and an at-or-after `date` filter.
 */
import type { IDataObject } from 'n8n-workflow';

import { IdentomatTrigger } from '../../nodes/IdentomatTrigger/IdentomatTrigger.node';
import { pollMonitoringUpdated, type UpdatedState } from '../../nodes/IdentomatTrigger/poll';
import { PollingTrigger } from '../../harness/poll';
import { type Sandbox, sandboxForFile } from '../helpers/sandbox';

type Request = { host: string; path: string; fields: IDataObject; status: number };
type Monitored = { id: string; fullName: string; lastUpdatedDate?: string };

const LIST = 'list-screening-monitoring-records';
const BLACKLIST = 'list-blacklist-records';

/** A small seeded PRNG, so every run replays the same script. */
function prng(seed: number) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return { next, int: (n: number) => Math.floor(next() * n), pick<T>(list: T[], k: number): T[] {
		const copy = [...list];
		for (let i = 0; i < k && i < copy.length; i++) {
			const j = i + Math.floor(next() * (copy.length - i));
			[copy[i], copy[j]] = [copy[j], copy[i]];
		}
		return copy.slice(0, k);
	} };
}

function trigger(sb: Sandbox, parameters: IDataObject, staticData?: IDataObject, pollBudgetMs?: number) {
	return new PollingTrigger({
		nodeType: new IdentomatTrigger(),
		typeName: 'n8n-nodes-identomat.identomatTrigger',
		parameters,
		credentials: { apiKey: sb.companyKey, widgetBaseUrl: sb.widgetBaseUrl, apiBaseUrl: sb.apiBaseUrl },
		staticData,
		pollBudgetMs,
	});
}

/** The requests one step made. */
async function counting<T>(sb: Sandbox, step: () => Promise<T>): Promise<{ result: T; requests: Request[] }> {
	sb.clearRequests();
	const result = await step();
	return { result, requests: [...sb.requests] as Request[] };
}

/**
 * A trigger whose every poll runs out of time after its first page: a 1 ms budget (half of it
 * used), and every answer of the sandbox takes 2 ms, so the clock has moved on by then.
 */
function onePagePerPoll(sb: Sandbox, parameters: IDataObject) {
	sb.setLatency(2);
	return trigger(sb, parameters, undefined, 1);
}

/** Fails the list endpoint on the second page: the first page answers normally. */
function failSecondPage(sb: Sandbox, path: string) {
	sb.faults.add({ host: 'api', path, kind: 'latency', delayMs: 0 });
	sb.faults.add({ host: 'api', path, kind: 'status', status: 500 });
}

/**
 * One poll of a scripted run: maybe after a restart, maybe meeting a server failure (on the first
 * page or mid-paging), which must leave the state as it was. Undefined when the poll failed.
 */
async function pollThroughFaults(
	sb: Sandbox,
	trig: PollingTrigger,
	rand: ReturnType<typeof prng>,
	stats: { restarts: number; failures: number; midPaging: number },
): Promise<IDataObject[] | null | undefined> {
	if (rand.next() < 0.1) {
		trig.restart();
		stats.restarts++;
	}
	const failing = rand.next() < 0.25;
	if (failing && rand.next() < 0.3) sb.faults.add({ host: 'api', path: LIST, kind: 'status', status: 500 });
	else if (failing) failSecondPage(sb, LIST);
	const before = trig.saved();
	sb.clearRequests();
	try {
		return await trig.poll();
	} catch (error) {
		expect(failing).toBe(true);
		expect(String((error as Error).message)).toMatch(/500/);
		expect(trig.saved()).toEqual(before);
		stats.failures++;
		if ((sb.requests as Request[]).filter((q) => q.path === LIST).length >= 2) stats.midPaging++;
		return undefined;
	} finally {
		sb.faults.clear();
	}
}

const versionOf = (r: { id: unknown; lastUpdatedDate?: unknown }) => `${r.id}|${r.lastUpdatedDate}`;

/** Every (record, update date) stamped from `since` on that is in the list now and not emitted yet. */
function pendingVersions(sb: Sandbox, since: number, emitted: Set<string>): Set<string> {
	return new Set(
		(sb.state.monitoring as Monitored[])
			.filter((r) => r.lastUpdatedDate && Date.parse(r.lastUpdatedDate) >= since)
			.map(versionOf)
			.filter((v) => !emitted.has(v)),
	);
}

function newBlacklistRecord(sb: Sandbox, n: number) {
	const id = (Date.now().toString(16) + n.toString(16).padStart(6, '0') + 'b'.repeat(24)).slice(0, 24);
	const record = { id, firstName: `First${n}`, lastName: `Last${n}`, documentNumber: `DOC${n}`, personalNumber: null, birthday: null, notes: null, reason: 'test' };
	sb.state.blacklist.push(record);
	return id;
}

describe.each(['gt', 'gte'] as const)('Screening Monitoring Updated, date filter %s', (filter) => {
	const sb = sandboxForFile({ monitoringDateFilter: filter });

	const parameters = { event: 'screeningMonitoringUpdated' };

	test('the first activation emits nothing, not even changes made just before it; then only what changed after', async () => {
		const ids: string[] = sb.monitoring.seed(100);
		sb.monitoring.touch(ids.slice(0, 30), new Date(Date.now() - 5000));
		const trig = trigger(sb, parameters);

		const first = await counting(sb, () => trig.poll());
		expect(first.result).toBeNull();
		expect(first.requests).toHaveLength(1);
		const [req] = first.requests;
		expect(req).toMatchObject({ host: 'api', path: LIST });
		expect(req.fields).toMatchObject({ companyKey: sb.companyKey, start: 0, limit: 1000 });
		expect(req.fields.company_key).toBeUndefined();
		expect(Date.parse(req.fields.date as string)).toBeLessThan(Date.now());

		expect(await trig.poll()).toBeNull(); // the pre-activation changes are not emitted later either

		const later = new Date(Date.now() + 1000);
		sb.monitoring.touch(ids.slice(50, 53), later);
		const out = await trig.poll();
		expect(out).toEqual(ids.slice(50, 53).map((id) => ({ id, fullName: expect.stringMatching(/^Monitored Person/), lastUpdatedDate: later.toISOString() })).sort((a, b) => a.id.localeCompare(b.id)));
		expect(await trig.poll()).toBeNull();
	});

	test('manual mode ("Fetch Test Event") returns the record changed last and leaves the state alone', async () => {
		const ids: string[] = sb.monitoring.seed(20);
		sb.monitoring.touch([ids[3]], new Date(Date.now() - 60_000));
		sb.monitoring.touch([ids[7]], new Date(Date.now() - 1_000));
		sb.monitoring.touch([ids[1]], new Date(Date.now() - 30_000));
		const trig = trigger(sb, parameters);
		const out = await trig.poll('manual');
		expect(out).toHaveLength(1);
		expect(out![0].id).toBe(ids[7]);
		expect(trig.saved()).toEqual({});
		expect(await trig.poll()).toBeNull(); // the real first poll still starts from now
	});

	test('many records sharing one timestamp, split over polls and pages: each emitted once', async () => {
		const ids: string[] = sb.monitoring.seed(3000);
		const trig = trigger(sb, parameters);
		expect(await trig.poll()).toBeNull();
		const stamp = new Date(Date.now() + 2000);
		sb.monitoring.touch(ids.slice(0, 1500), stamp);
		const a = await counting(sb, () => trig.poll());
		expect(a.result).toHaveLength(1500);
		expect(a.requests.map((r) => r.fields.start)).toEqual([0, 980]); // pages overlap by 20 records
		// More records get the very same timestamp after the poll (the cursor's own timestamp).
		sb.monitoring.touch(ids.slice(1500, 1800), stamp);
		const b = await trig.poll();
		expect(new Set(b!.map((r) => r.id))).toEqual(new Set(ids.slice(1500, 1800)));
		expect(await trig.poll()).toBeNull();
		// Static data stays proportionate: IDs grouped under one date.
		const state = (trig.nodeStaticData().state as { seen: Record<string, string[]> }).seen;
		expect(Object.keys(state)).toEqual([stamp.toISOString()]);
		expect(state[stamp.toISOString()]).toHaveLength(1800);
	});

	test('a failure mid-paging emits nothing and keeps the state; the next poll emits everything once', async () => {
		const ids: string[] = sb.monitoring.seed(2500);
		const trig = trigger(sb, parameters);
		expect(await trig.poll()).toBeNull();
		sb.monitoring.touch(ids.slice(0, 2100), new Date(Date.now() + 1000));
		const before = trig.saved();
		failSecondPage(sb, LIST);
		sb.clearRequests();
		await expect(trig.poll()).rejects.toThrow(/500/);
		expect((sb.requests as Request[]).map((r) => [r.fields.start, r.status])).toEqual([
			[0, 200],
			[980, 500],
		]);
		expect(trig.saved()).toEqual(before);
		const out = await counting(sb, () => trig.poll());
		expect(out.result).toHaveLength(2100);
		expect(new Set(out.result!.map((r) => r.id)).size).toBe(2100);
		expect(out.requests).toHaveLength(3);
		expect(await trig.poll()).toBeNull();
	});

	test('records stamped late (within the overlap) are still emitted, once', async () => {
		const ids: string[] = sb.monitoring.seed(50);
		const trig = trigger(sb, parameters);
		expect(await trig.poll()).toBeNull();
		const t = Date.now() + 10_000;
		sb.monitoring.touch([ids[0]], new Date(t));
		expect((await trig.poll())!.map((r) => r.id)).toEqual([ids[0]]);
		sb.monitoring.touch([ids[1]], new Date(t - 20_000)); // committed after the poll, stamped earlier
		expect((await trig.poll())!.map((r) => r.id)).toEqual([ids[1]]);
		expect(await trig.poll()).toBeNull();
	});

	test('scripted: thousands of updates with shared timestamps, late stamps, failures mid-paging and restarts: no duplicate, no loss', async () => {
		const rand = prng(filter === 'gt' ? 42 : 4242);
		const ids: string[] = sb.monitoring.seed(3000);
		const trig = trigger(sb, parameters);
		expect(await trig.poll()).toBeNull();

		const scriptStart = Date.now() + 1000;
		let t = scriptStart;
		let maxT = t;
		const emitted = new Set<string>();
		const stats = { updates: 0, polls: 0, emitted: 0, failures: 0, midPaging: 0, restarts: 0, sharedStamps: 0, late: 0 };

		const expectedNow = () => pendingVersions(sb, scriptStart, emitted);

		for (let round = 0; round < 80 || stats.updates < 5000; round++) {
			const groups = 1 + rand.int(3);
			for (let g = 0; g < groups; g++) {
				const k = rand.next() < 0.12 ? 1000 + rand.int(600) : 1 + rand.int(80);
				let stamp: number;
				const r = rand.next();
				if (r < 0.35) {
					stamp = t; // the same timestamp as the previous group, maybe across a poll
					stats.sharedStamps++;
				} else if (r < 0.45) {
					stamp = Math.max(scriptStart, maxT - rand.int(30_000)); // stamped late
					stats.late++;
				} else {
					t += 1 + rand.int(2000);
					stamp = t;
				}
				maxT = Math.max(maxT, stamp);
				stats.updates += sb.monitoring.touch(rand.pick(ids, k), new Date(stamp));
			}

			const out = await pollThroughFaults(sb, trig, rand, stats);
			if (out === undefined) continue;
			stats.polls++;
			const got = (out ?? []).map(versionOf);
			const expected = expectedNow();
			expect(got.filter((v) => emitted.has(v))).toEqual([]); // no duplicate
			expect(new Set(got).size).toBe(got.length);
			expect(new Set(got)).toEqual(expected); // no loss
			for (const v of got) emitted.add(v);
			stats.emitted += got.length;
		}

		const last = await trig.poll();
		expect(new Set((last ?? []).map(versionOf))).toEqual(expectedNow());
		expect(await trig.poll()).toBeNull();
		expect(stats.updates).toBeGreaterThanOrEqual(5000);
		expect(stats.emitted).toBeGreaterThanOrEqual(1000);
		expect(stats.failures).toBeGreaterThan(0);
		expect(stats.midPaging).toBeGreaterThan(0);
		expect(stats.restarts).toBeGreaterThan(0);
		expect(stats.sharedStamps).toBeGreaterThan(0);
		expect(stats.late).toBeGreaterThan(0);
	});

	test('a backlog longer than the poll budget is drained over several polls, also while records change again, are removed or are added', async () => {
		const rand = prng(filter === 'gt' ? 7 : 77);
		const ids: string[] = sb.monitoring.seed(9000);
		const trig = onePagePerPoll(sb, parameters); // 1,000 records a poll
		expect(await trig.poll()).toBeNull();
		// As if activated ten minutes ago: the backlog is stamped before the drain began, so a
		// record the drain skipped would never be asked for again.
		const start = Date.now() - 600_000;
		Object.assign(trig.nodeStaticData().state as IDataObject, { cursor: new Date(start).toISOString(), seen: {} });
		const emitted = new Set<string>();
		const expectedNow = () => pendingVersions(sb, start, emitted);
		ids.forEach((id, i) => sb.monitoring.touch([id], new Date(start + 60_000 + i)));
		const stats = { polls: 0, cutShort: 0, touchedAgain: 0, removed: 0, added: 0 };
		const pollOnce = async () => {
			sb.clearRequests();
			const got = ((await trig.poll()) ?? []).map(versionOf);
			stats.polls++;
			expect(got.filter((v) => emitted.has(v))).toEqual([]); // no duplicate
			expect(new Set(got).size).toBe(got.length);
			for (const v of got) emitted.add(v);
			const cutShort = Boolean((trig.nodeStaticData().state as IDataObject | undefined)?.drain);
			if (cutShort) stats.cutShort++;
			return cutShort;
		};
		let live = [...ids];
		for (let round = 0; round < 4; round++) {
			expect(await pollOnce()).toBe(true);
			// While the drain goes on: records read already and not yet read change again, some
			// are removed (more than the 20 remembered IDs, in front of where the poll stopped),
			// and new people are added and changed.
			stats.touchedAgain += sb.monitoring.touch(rand.pick(live, 40), new Date());
			const gone = rand.pick(live.slice(0, 3000), 60);
			const list = sb.state.monitoring as Monitored[];
			for (const id of gone) list.splice(list.findIndex((r) => r.id === id), 1);
			live = live.filter((id) => !gone.includes(id));
			stats.removed += gone.length;
			const fresh = Array.from({ length: 5 }, (_, i) => sb.monitoring.add(`Late Person ${round}-${i}`));
			// stamped well ahead (a server clock ahead, or a drain much longer than this one)
			sb.monitoring.touch(fresh, new Date(Date.now() + 300_000));
			live.push(...fresh);
			stats.added += fresh.length;
		}
		// Until the drain is done (reading on costs one request a poll: a few remembered IDs
		// are read again to find the place). The next window starts the late-change bound before
		// when the drain began, so it reads the backlog again (changes may show late), emitting
		// only what came since: again one request a poll, until it is done too.
		await pollOnce();
		let quietResumes = 0;
		for (let window = 0; window < 2; window++) {
			while (await pollOnce()) {
				expect(sb.requests).toHaveLength(1);
				quietResumes++;
			}
		}
		expect(quietResumes).toBeGreaterThanOrEqual(2);
		expect(expectedNow()).toEqual(new Set());
		expect(await trig.poll()).toBeNull();
		expect(stats.cutShort).toBeGreaterThanOrEqual(5);
		expect(stats.touchedAgain).toBeGreaterThan(0);
		expect(stats.removed).toBeGreaterThan(20);
	});

	test('cost follows the number of changes, not the list size (10,000 monitored)', async () => {
		const ids: string[] = sb.monitoring.seed(10_000);
		const trig = trigger(sb, parameters);
		expect(await trig.poll()).toBeNull();

		const quiet = await counting(sb, () => trig.poll());
		expect(quiet.result).toBeNull();
		expect(quiet.requests).toHaveLength(1);

		sb.monitoring.touch(ids.slice(5000, 5010), new Date(Date.now() + 1000));
		const ten = await counting(sb, () => trig.poll());
		expect(ten.result).toHaveLength(10);
		expect(ten.requests).toHaveLength(1);
		expect(ten.requests[0].fields.date).toEqual(expect.any(String));

		sb.monitoring.touch(ids.slice(0, 2500), new Date(Date.now() + 2000));
		const many = await counting(sb, () => trig.poll());
		expect(many.result).toHaveLength(2500);
		expect(many.requests).toHaveLength(3); // 2,510 changes in the window, 1,000 per page
	});
});

describe('Screening Monitoring Updated: Include Screening Matches', () => {
	const sb = sandboxForFile();

	const parameters = { event: 'screeningMonitoringUpdated', options: { includeScreeningMatches: true } };

	test('match lookups count against the poll budget: many changes go out over several polls, each once, with its matches', async () => {
		const ids: string[] = sb.monitoring.seed(40);
		// 400 ms budget, half of it used; each lookup takes 25 ms: about 8 records a poll.
		const trig = trigger(sb, parameters, undefined, 400);
		expect(await trig.poll()).toBeNull();
		sb.faults.add({ host: 'api', path: 'search-screening-person', kind: 'latency', delayMs: 25, times: Infinity });
		sb.monitoring.touch(ids.slice(0, 30), new Date(Date.now() + 1000));
		const emitted: string[] = [];
		const sizes: number[] = [];
		for (let poll = 0; poll < 30 && emitted.length < 30; poll++) {
			const out = (await trig.poll()) ?? [];
			sizes.push(out.length);
			for (const record of out) {
				expect(Array.isArray(record.screeningMatches)).toBe(true);
				emitted.push(record.id as string);
			}
		}
		expect([...emitted].sort()).toEqual(ids.slice(0, 30).sort());
		expect(sizes.length).toBeGreaterThanOrEqual(3);
		expect(Math.max(...sizes)).toBeLessThan(30);
		expect(await trig.poll()).toBeNull();
	});

	test('attaches the current matches of each changed person, searched by full name', async () => {
		const id: string = sb.monitoring.add('John Doe Smith');
		const trig = trigger(sb, parameters);
		expect(await trig.poll()).toBeNull();
		sb.monitoring.touch([id], new Date(Date.now() + 1000));
		const { result, requests } = await counting(sb, () => trig.poll());
		expect(result).toHaveLength(1);
		expect(result![0]).toMatchObject({ id, fullName: 'John Doe Smith' });
		const matches = result![0].screeningMatches as IDataObject[];
		expect(matches.length).toBeGreaterThan(0);
		expect(matches[0]).toMatchObject({ personId: '67137933a2176f0797f1e658', score: 100 });
		expect(matches.every((m) => (m.score as number) >= 80)).toBe(true);
		const search = requests.filter((r) => r.path === 'search-screening-person');
		expect(search).toHaveLength(1);
		expect(search[0].fields).toMatchObject({ companyKey: sb.companyKey, query: { fullName: 'John Doe Smith', scoreThreshold: 80 }, offset: 0, limit: 100 });
	});

	test('a failed match lookup fails the poll without moving it; the next poll emits the record', async () => {
		const id: string = sb.monitoring.add('Maria Elena Gonzalez');
		const trig = trigger(sb, { ...parameters, options: { includeScreeningMatches: true, minimumScore: 60 } });
		expect(await trig.poll()).toBeNull();
		sb.monitoring.touch([id], new Date(Date.now() + 1000));
		const before = trig.saved();
		sb.faults.add({ host: 'api', path: 'search-screening-person', kind: 'status', status: 500 });
		await expect(trig.poll()).rejects.toThrow();
		expect(trig.saved()).toEqual(before);
		const out = await counting(sb, () => trig.poll());
		expect(out.result!.map((r) => r.id)).toEqual([id]);
		expect(out.requests.find((r) => r.path === 'search-screening-person')!.fields).toMatchObject({ query: { scoreThreshold: 60 } });
	});

	test.each([
		['an object', '{"result":{"matches":3}}'],
		['a text', '{"result":"busy"}'],
		['no result at all', '{}'],
	])(
		'a match lookup answered with %s fails the poll (never "no matches"); the next poll emits the record with its matches',
		async (_, body) => {
			const id: string = sb.monitoring.add('John Doe Smith');
			const trig = trigger(sb, { ...parameters, options: { includeScreeningMatches: true } });
			expect(await trig.poll()).toBeNull();
			sb.monitoring.touch([id], new Date(Date.now() + 1000));
			const before = trig.saved();
			sb.faults.add({ host: 'api', path: 'search-screening-person', kind: 'body', body, type: 'application/json' });
			await expect(trig.poll()).rejects.toThrow(/Screening Monitoring Updated/);
			expect(trig.saved()).toEqual(before);
			const out = (await trig.poll())!;
			expect(out.map((r) => r.id)).toEqual([id]);
			expect((out[0].screeningMatches as IDataObject[]).length).toBeGreaterThan(0);
		},
	);

	test('manual mode attaches matches to the newest record too', async () => {
		const id: string = sb.monitoring.add('John Doe Smith');
		sb.monitoring.touch([id], new Date());
		const out = await trigger(sb, parameters).poll('manual');
		expect(out).toHaveLength(1);
		expect(out![0].id).toBe(id);
		expect(Array.isArray(out![0].screeningMatches)).toBe(true);
	});
});

describe('Person Added to Monitoring', () => {
	const sb = sandboxForFile();

	const parameters = { event: 'personAddedToMonitoring' };
	const remove = (ids: string[]) => {
		const list = sb.state.monitoring as Monitored[];
		for (const id of ids) list.splice(list.findIndex((r) => r.id === id), 1);
	};

	test('first poll emits nothing; then each added person once, in order; a quiet poll costs one request', async () => {
		sb.monitoring.seed(50);
		const trig = trigger(sb, parameters);
		const first = await counting(sb, () => trig.poll());
		expect(first.result).toBeNull();
		expect(first.requests.map((r) => [r.fields.start, r.fields.limit])).toEqual([
			[0, 1],
			[34, 20],
		]);
		expect(first.requests[0].fields.date).toBeUndefined();

		const added = [sb.monitoring.add('Ada Lovelace'), sb.monitoring.add('Alan Turing'), sb.monitoring.add('Grace Hopper')];
		const out = await counting(sb, () => trig.poll());
		expect(out.result!.map((r) => r.id)).toEqual(added);
		expect(out.result![0]).toEqual({ id: added[0], fullName: 'Ada Lovelace' });
		expect(out.requests).toHaveLength(1);
		const quiet = await counting(sb, () => trig.poll());
		expect(quiet.result).toBeNull();
		expect(quiet.requests).toHaveLength(1);
	});

	test('removals before, among and beyond the remembered tail do not hide or repeat additions', async () => {
		const ids: string[] = sb.monitoring.seed(300);
		const trig = trigger(sb, parameters);
		expect(await trig.poll()).toBeNull();

		remove(ids.slice(10, 15)); // older records
		let added = [sb.monitoring.add('P One'), sb.monitoring.add('P Two')];
		expect((await trig.poll())!.map((r) => r.id)).toEqual(added);

		remove(added); // the newest anchors
		remove(ids.slice(-3));
		added = [sb.monitoring.add('P Three')];
		expect((await trig.poll())!.map((r) => r.id)).toEqual(added);

		// More removals before the tail than anchors, and the newest anchors gone too: the old
		// end is now past the end of the list, so the poll reads back to find an anchor.
		const snapshot = (sb.state.monitoring as Monitored[]).map((r) => r.id);
		remove([...snapshot.slice(-80, -40), ...snapshot.slice(-5)]);
		added = [sb.monitoring.add('P Four'), sb.monitoring.add('P Five')];
		const back = await counting(sb, () => trig.poll());
		expect(back.result!.map((r) => r.id)).toEqual(added);
		expect(back.requests.length).toBeGreaterThan(1);
		expect(await trig.poll()).toBeNull();
	});

	test('10,000 monitored, 10 added: one request', async () => {
		sb.monitoring.seed(10_000);
		const trig = trigger(sb, parameters);
		expect(await trig.poll()).toBeNull();
		const added = Array.from({ length: 10 }, (_, i) => sb.monitoring.add(`Added Person ${i}`));
		const out = await counting(sb, () => trig.poll());
		expect(out.result!.map((r) => r.id)).toEqual(added);
		expect(out.requests).toHaveLength(1);
		expect(out.requests[0].fields).toMatchObject({ start: 10_004 - 20, limit: 1020 });
	});

	test('scripted: 1,000+ additions with removals, failures mid-paging and restarts: no duplicate, no loss', async () => {
		const rand = prng(7);
		sb.monitoring.seed(200);
		const atStart = new Set((sb.state.monitoring as Monitored[]).map((r) => r.id));
		const trig = trigger(sb, parameters);
		expect(await trig.poll()).toBeNull();
		const emitted = new Set<string>();
		const stats = { added: 0, failures: 0, midPaging: 0, restarts: 0, removed: 0 };
		let n = 0;
		for (let round = 0; round < 60 || stats.added < 1500; round++) {
			const k = rand.next() < 0.1 ? 1000 + rand.int(300) : rand.int(40);
			for (let i = 0; i < k; i++) sb.monitoring.add(`Scripted Person ${++n}`);
			stats.added += k;
			if (rand.next() < 0.4) {
				const list = sb.state.monitoring as Monitored[];
				const victims = rand.pick(list.map((r) => r.id), 1 + rand.int(5));
				remove(victims);
				stats.removed += victims.length;
			}
			const out = await pollThroughFaults(sb, trig, rand, stats);
			if (out === undefined) continue;
			const got = (out ?? []).map((r) => r.id as string);
			const expected = (sb.state.monitoring as Monitored[]).map((r) => r.id).filter((id) => !atStart.has(id) && !emitted.has(id));
			expect(got.filter((id) => emitted.has(id))).toEqual([]);
			expect(got).toEqual(expected);
			for (const id of got) emitted.add(id);
		}
		const last = (await trig.poll()) ?? [];
		expect(last.map((r) => r.id)).toEqual((sb.state.monitoring as Monitored[]).map((r) => r.id).filter((id) => !atStart.has(id) && !emitted.has(id)));
		expect(await trig.poll()).toBeNull();
		expect(stats.added).toBeGreaterThanOrEqual(1500);
		expect(emitted.size).toBeGreaterThanOrEqual(1000);
		expect(stats.failures).toBeGreaterThan(0);
		expect(stats.midPaging).toBeGreaterThan(0);
		expect(stats.restarts).toBeGreaterThan(0);
		expect(stats.removed).toBeGreaterThan(0);
	});

	test('more additions than one poll budget allows go out over several polls, in order, each once, with removals between', async () => {
		const ids: string[] = sb.monitoring.seed(100);
		const trig = onePagePerPoll(sb, parameters); // 1,000 records a poll
		expect(await trig.poll()).toBeNull();
		const added = Array.from({ length: 2500 }, (_, i) => sb.monitoring.add(`Queued Person ${i}`));
		const emitted: string[] = [];
		const sizes: number[] = [];
		for (let poll = 0; poll < 10 && emitted.length < added.length; poll++) {
			const out = (await trig.poll()) ?? [];
			sizes.push(out.length);
			emitted.push(...out.map((r) => r.id as string));
			if (poll === 0) remove([...ids.slice(0, 30), ...added.slice(0, 10)]); // read already: shifts the list back
		}
		expect(emitted).toEqual(added);
		expect(sizes.length).toBeGreaterThanOrEqual(3);
		expect(await trig.poll()).toBeNull();
	});

	test('manual mode returns the last person added (two small requests)', async () => {
		sb.monitoring.seed(30);
		const id = sb.monitoring.add('Newest Person');
		const trig = trigger(sb, parameters);
		const out = await counting(sb, () => trig.poll('manual'));
		expect(out.result).toEqual([{ id, fullName: 'Newest Person' }]);
		expect(out.requests).toHaveLength(2);
		expect(trig.saved()).toEqual({});
	});
});

describe('Blacklist Record Added', () => {
	const sb = sandboxForFile();

	const parameters = { event: 'blacklistRecordAdded' };

	test('first poll emits nothing; new records once each, paging inside `query`; a failure mid-paging loses nothing', async () => {
		const trig = trigger(sb, parameters);
		const first = await counting(sb, () => trig.poll());
		expect(first.result).toBeNull();
		expect(first.requests).toHaveLength(1); // the seeded list has a single record
		expect(first.requests[0]).toMatchObject({ host: 'api', path: BLACKLIST });
		expect(first.requests[0].fields).toEqual({ companyKey: sb.companyKey, query: { offset: 0, limit: 1 } });

		const added = Array.from({ length: 150 }, (_, i) => newBlacklistRecord(sb, i));
		failSecondPage(sb, BLACKLIST);
		const before = trig.saved();
		await expect(trig.poll()).rejects.toThrow(/500/);
		expect(trig.saved()).toEqual(before);

		const out = await counting(sb, () => trig.poll());
		expect(out.result!.map((r) => r.id)).toEqual(added);
		expect(out.result![0]).toMatchObject({ firstName: 'First0', lastName: 'Last0', reason: 'test' });
		expect(out.requests.map((r) => r.fields.query)).toEqual([
			{ offset: 0, limit: 101 }, // the one record there at activation, then a page
			{ offset: 81, limit: 120 }, // pages overlap by 20 records
		]);
		expect(out.requests.every((r) => r.fields.offset === undefined && r.fields.limit === undefined)).toBe(true);

		const quiet = await counting(sb, () => trig.poll());
		expect(quiet.result).toBeNull();
		expect(quiet.requests).toHaveLength(1);
		expect(quiet.requests[0].fields.query).toEqual({ offset: 151 - 20, limit: 120 });
	});

	test('more new records than one poll budget allows go out over several polls, in order, each once', async () => {
		const trig = onePagePerPoll(sb, parameters); // 100 records a poll
		expect(await trig.poll()).toBeNull();
		const added = Array.from({ length: 350 }, (_, n) => newBlacklistRecord(sb, n));
		const emitted: string[] = [];
		for (let poll = 0; poll < 10 && emitted.length < added.length; poll++) {
			const { result, requests } = await counting(sb, () => trig.poll());
			emitted.push(...(result ?? []).map((r) => r.id as string));
			expect(requests).toHaveLength(1); // it reads on where it stopped, not from the end
		}
		expect(emitted).toEqual(added);
		expect(await trig.poll()).toBeNull();
	});

	test('a restart keeps the position: nothing repeated, nothing lost', async () => {
		const trig = trigger(sb, parameters);
		expect(await trig.poll()).toBeNull();
		const a = newBlacklistRecord(sb, 1);
		expect((await trig.poll())!.map((r) => r.id)).toEqual([a]);
		const b = newBlacklistRecord(sb, 2);
		const restarted = trigger(sb, parameters, trig.saved());
		expect((await restarted.poll())!.map((r) => r.id)).toEqual([b]);
		expect(await restarted.poll()).toBeNull();
	});

	test('manual mode returns the newest blacklist record', async () => {
		const id = newBlacklistRecord(sb, 9);
		const out = await trigger(sb, parameters).poll('manual');
		expect(out).toHaveLength(1);
		expect(out![0]).toMatchObject({ id, firstName: 'First9' });
	});

	test('switching the event starts over from now instead of reusing the other event\'s position', async () => {
		const trig = trigger(sb, parameters);
		expect(await trig.poll()).toBeNull();
		const other = trigger(sb, { event: 'personAddedToMonitoring' }, trig.saved());
		sb.monitoring.add('Someone New');
		expect(await other.poll()).toBeNull();
	});
});

describe('Screening Monitoring Updated: the late-change bound (Late Changes Window)', () => {
	const MINUTE = 60_000;
	const sb = sandboxForFile();

	/** An in-memory Identomat: a list of changes and its clock (sent as the Date header). */
	function identomat() {
		let now = Date.UTC(2026, 0, 1, 12);
		const list: Array<{ id: string; lastUpdatedDate: string }> = [];
		const read = (date: string) => async (offset: number, limit: number) => {
			const changed = list.filter((r) => Date.parse(r.lastUpdatedDate) > Date.parse(date));
			return { records: changed.slice(offset, offset + limit), total: changed.length, serverDate: new Date(now) };
		};
		let state: UpdatedState | undefined;
		const emitted: string[] = [];
		return {
			/** A change stamped `lateBy` before now, visible from now on. */
			show(id: string, lateBy: number) {
				const stamp = new Date(now - lateBy).toISOString();
				const at = list.findIndex((r) => r.id === id);
				if (at >= 0) list.splice(at, 1);
				list.push({ id, lastUpdatedDate: stamp });
				return `${id}|${Date.parse(stamp)}`;
			},
			async poll(lateMinutes: number) {
				now += MINUTE;
				const result = await pollMonitoringUpdated(read, state, { pageSize: 50, now: new Date(now), lateMs: lateMinutes * MINUTE });
				state = result.state;
				emitted.push(...result.emit.map((r) => `${r.id}|${Date.parse(r.lastUpdatedDate!)}`));
			},
			emitted,
			state: () => state!,
		};
	}

	test('a change that shows just inside the bound comes out; raising the bound repeats nothing and widens the window as the memory grows', async () => {
		const im = identomat();
		await im.poll(15);
		const expected = [im.show('a', 14 * MINUTE)];
		for (let i = 0; i < 5; i++) await im.poll(15);
		expected.push(im.show('b', 5 * MINUTE));
		await im.poll(15);
		// Raised to an hour: nothing comes out again, though the window now reaches back further.
		for (let i = 0; i < 70; i++) await im.poll(60);
		expect(im.emitted).toEqual(expected);
		// The memory has grown to the new bound: a change showing 55 minutes late comes out.
		expected.push(im.show('c', 55 * MINUTE));
		await im.poll(60);
		expect(im.emitted).toEqual(expected);
		expect(Date.parse(im.state().cursor) - Date.parse(im.state().seenFrom)).toBe(61 * MINUTE);
		// Lowered again: the memory keeps what the shorter window needs, nothing repeats.
		for (let i = 0; i < 20; i++) await im.poll(5);
		expect(im.emitted).toEqual(expected);
		expect(Date.parse(im.state().cursor) - Date.parse(im.state().seenFrom)).toBe(6 * MINUTE);
	});

	test('a Late Changes Window that is no number of minutes from 1 to 1440 is refused with a message naming it', async () => {
		for (const lateChangeMinutes of [0, -5, 5000, 'soon']) {
			const trig = trigger(sb, { event: 'screeningMonitoringUpdated', options: { lateChangeMinutes } });
			await expect(trig.poll()).rejects.toThrow(
				'Identomat Trigger → Screening Monitoring Updated: "Late Changes Window (Minutes)" must be a number from 1 to 1440',
			);
		}
	});
});
