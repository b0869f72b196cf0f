/**
 * Regression tests: scenarios in which earlier versions of the Identomat Trigger lost or repeated
 * changes, each run as it was found, through the real node, n8n-core's PollContext and the
 * sandbox. Time passing on Identomat's side is its clock (the `Date` header of its answers)
 * moving on; the sandbox's list hook changes the list between the pages of a poll.
 */
import type { IDataObject } from 'n8n-workflow';

import { IdentomatTrigger } from '../../nodes/IdentomatTrigger/IdentomatTrigger.node';
import {
	CLOCK_TOLERANCE_MS,
	pollMonitoringUpdated,
} from '../../nodes/IdentomatTrigger/poll';
import { PollingTrigger } from '../../harness/poll';
import { sandboxForFile } from '../helpers/sandbox';

type Monitored = { id: string; fullName: string; lastUpdatedDate?: string };

const MINUTE = 60_000;

const sb = sandboxForFile();

function trigger(event: string, options: IDataObject = {}, pollBudgetMs?: number) {
	return new PollingTrigger({
		nodeType: new IdentomatTrigger(),
		typeName: 'n8n-nodes-identomat.identomatTrigger',
		parameters: { event, options },
		credentials: {
			apiKey: sb.companyKey,
			widgetBaseUrl: sb.widgetBaseUrl,
			apiBaseUrl: sb.apiBaseUrl,
		},
		pollBudgetMs,
	});
}

/** Identomat's clock now (the sandbox's, with its offset). */
const identomatNow = () => Date.now() + sb.listing.clockOffsetMs;

/** Runs `step(n)` before the n-th page (1 = the second) of each list read that follows. */
function betweenPages(step: (page: number) => void) {
	let page = 0;
	sb.listing.beforePage = () => step(page++);
}

const versionOf = (r: IDataObject) => `${r.id}|${Date.parse(String(r.lastUpdatedDate))}`;

function removeMonitored(ids: string[]) {
	const list = sb.state.monitoring as Monitored[];
	for (const id of ids)
		list.splice(
			list.findIndex((r) => r.id === id),
			1,
		);
}

function addBlacklisted(n: number): string[] {
	return Array.from({ length: n }, (_, i) => {
		const id = `bl${String(i).padStart(5, '0')}${'0'.repeat(17)}`;
		sb.state.blacklist.push({
			id,
			firstName: `First${i}`,
			lastName: `Last${i}`,
			documentNumber: null,
			personalNumber: null,
			birthday: null,
			notes: null,
			reason: 'test',
		});
		return id;
	});
}

test('a record re-changed while a long poll pages (past the overlap) comes out, once, though a later page has a newer stamp', async () => {
	sb.listing.maxPage = 50; // three pages for the 120 changed records
	const ids: string[] = sb.monitoring.seed(120);
	const trig = trigger('screeningMonitoringUpdated', { includeScreeningMatches: true });
	expect(await trig.poll()).toBeNull();
	const t0 = identomatNow();
	sb.monitoring.touch(ids, new Date(t0 + 1000));
	let rechanged = '';
	let later = '';
	betweenPages((page) => {
		if (page === 1) {
			// A minute of match lookups later: a record read on page 1 changes again.
			sb.listing.clockOffsetMs += MINUTE;
			sb.monitoring.touch([ids[5]], new Date(identomatNow()));
			rechanged = `${ids[5]}|${Date.parse(sb.state.monitoring.find((r: Monitored) => r.id === ids[5]).lastUpdatedDate)}`;
		}
		if (page === 2) {
			// Two more minutes: a record on the last page gets a stamp far newer than that.
			sb.listing.clockOffsetMs += 2 * MINUTE;
			sb.monitoring.touch([ids[110]], new Date(identomatNow()));
			later = `${ids[110]}|${Date.parse(sb.state.monitoring.find((r: Monitored) => r.id === ids[110]).lastUpdatedDate)}`;
		}
	});
	const first = ((await trig.poll()) ?? []).map(versionOf);
	delete sb.listing.beforePage;
	expect(first).toHaveLength(120);
	expect(first).toContain(later);
	expect(first).not.toContain(rechanged); // read before it changed again
	expect(((await trig.poll()) ?? []).map(versionOf)).toEqual([rechanged]);
	expect(await trig.poll()).toBeNull();
});

test('a record stamped an hour ahead does not freeze the trigger; later changes of other records come out', async () => {
	const ids: string[] = sb.monitoring.seed(10);
	const trig = trigger('screeningMonitoringUpdated');
	expect(await trig.poll()).toBeNull();
	sb.monitoring.touch([ids[0]], new Date(identomatNow() + 60 * MINUTE));
	expect(((await trig.poll()) ?? []).map((r) => r.id)).toEqual([ids[0]]);
	const cursor = () => Date.parse(String((trig.nodeStaticData().state as IDataObject).cursor));
	expect(cursor()).toBeLessThanOrEqual(identomatNow()); // never a record's stamp
	for (const [k, id] of ids.slice(1, 6).entries()) {
		sb.listing.clockOffsetMs += MINUTE;
		sb.monitoring.touch([id], new Date(identomatNow() - k * 1000));
		expect(((await trig.poll()) ?? []).map((r) => r.id)).toEqual([id]);
		expect(cursor()).toBeLessThanOrEqual(identomatNow());
	}
	expect(await trig.poll()).toBeNull();
});

describe('a removal while a poll pages skips no record', () => {
	/** One poll during which `remove` runs before its second page: the IDs it emitted. */
	async function pollRemovingBetweenPages(
		trig: PollingTrigger,
		remove: () => void,
	): Promise<string[]> {
		betweenPages((page) => {
			if (page === 1) remove();
		});
		try {
			return ((await trig.poll()) ?? []).map((r) => r.id as string);
		} finally {
			delete sb.listing.beforePage;
		}
	}

	test('Blacklist Record Added: records removed in front of the position between pages', async () => {
		const trig = trigger('blacklistRecordAdded');
		expect(await trig.poll()).toBeNull(); // the seeded record
		const added = addBlacklisted(250);
		// Three records already read are removed: the list shifts back.
		expect(await pollRemovingBetweenPages(trig, () => sb.state.blacklist.splice(1, 3))).toEqual(
			added,
		);
		expect(await trig.poll()).toBeNull();
	});

	test('Person Added to Monitoring: people removed in front of the position between pages', async () => {
		sb.listing.maxPage = 50;
		const old: string[] = sb.monitoring.seed(30);
		const trig = trigger('personAddedToMonitoring');
		expect(await trig.poll()).toBeNull();
		const added = Array.from({ length: 120 }, (_, i) => sb.monitoring.add(`Added Person ${i}`));
		const removed = [...old.slice(0, 25), added[0], added[1]];
		expect(await pollRemovingBetweenPages(trig, () => removeMonitored(removed))).toEqual(added);
		expect(await trig.poll()).toBeNull();
	});

	test('Screening Monitoring Updated: records with older stamps removed in front of the position between pages', async () => {
		sb.listing.maxPage = 50;
		const ids: string[] = sb.monitoring.seed(150);
		const trig = trigger('screeningMonitoringUpdated');
		expect(await trig.poll()).toBeNull();
		sb.monitoring.touch(ids, new Date(identomatNow() + 1000));
		// More removed than the overlap.
		const out = await pollRemovingBetweenPages(trig, () => removeMonitored(ids.slice(10, 40)));
		const kept = ids.filter((id) => !ids.slice(10, 40).includes(id));
		expect(new Set(out).size).toBe(out.length);
		expect(out.filter((id) => kept.includes(id)).sort()).toEqual([...kept].sort());
		expect(await trig.poll()).toBeNull();
	});
});

describe('Identomat’s clock 10 minutes off n8n’s', () => {
	test('ahead: nothing from before activation comes out, and a change read over several polls comes out once', async () => {
		sb.listing.clockOffsetMs = 10 * MINUTE;
		sb.listing.maxPage = 10;
		const ids: string[] = sb.monitoring.seed(60);
		const before = ids.slice(0, 20);
		sb.monitoring.touch(before, new Date(identomatNow() - 5000)); // just before activation
		sb.setLatency(2); // with a 1 ms budget, every poll stops after its first page
		const trig = trigger('screeningMonitoringUpdated', {}, 1);
		expect(await trig.poll()).toBeNull();
		const emitted: string[] = [];
		for (const id of ids.slice(20)) {
			sb.listing.clockOffsetMs += MINUTE;
			sb.monitoring.touch([id], new Date(identomatNow()));
			emitted.push(...((await trig.poll()) ?? []).map(versionOf));
		}
		for (let i = 0; i < 20; i++) emitted.push(...((await trig.poll()) ?? []).map(versionOf));
		expect(emitted.filter((v) => before.some((id) => v.startsWith(id)))).toEqual([]);
		expect(new Set(emitted).size).toBe(emitted.length);
		expect(emitted.map((v) => v.split('|')[0]).sort()).toEqual(ids.slice(20).sort());
	});

	test('behind: 15 changes, one a minute after activation, all come out', async () => {
		sb.listing.clockOffsetMs = -10 * MINUTE;
		const ids: string[] = sb.monitoring.seed(15);
		const trig = trigger('screeningMonitoringUpdated');
		expect(await trig.poll()).toBeNull();
		const emitted: string[] = [];
		for (const id of ids) {
			sb.listing.clockOffsetMs += MINUTE;
			sb.monitoring.touch([id], new Date(identomatNow()));
			emitted.push(...((await trig.poll()) ?? []).map((r) => r.id as string));
		}
		expect(emitted).toEqual(ids);
	});

	/** The poll logic fed by a list of changes on a clock `skewMs` off n8n's, with or without a Date header. */
	function identomatOff(skewMs: number, dateHeader: boolean) {
		const n8nNow = Date.UTC(2026, 0, 1, 12);
		const list: Array<{ id: string; lastUpdatedDate: string }> = [];
		const now = () => n8nNow + skewMs;
		const read = (date: string) => async (offset: number, limit: number) => {
			const changed = list.filter((r) => Date.parse(r.lastUpdatedDate) > Date.parse(date));
			return {
				records: changed.slice(offset, offset + limit),
				total: changed.length,
				serverDate: dateHeader ? new Date(now()) : undefined,
			};
		};
		return { n8nNow, list, now, read };
	}

	test.each([
		[-10 * MINUTE, false],
		[10 * MINUTE, false],
		[-20 * MINUTE, true],
	])(
		'Identomat %d ms off, Date header %s: changes before activation stay out, every later one comes out',
		async (skewMs, dateHeader) => {
			const identomat = identomatOff(skewMs, dateHeader);
			identomat.list.push({
				id: 'before',
				lastUpdatedDate: new Date(identomat.now() - 30_000).toISOString(),
			});
			const options = { pageSize: 10, now: new Date(identomat.n8nNow) };
			let { state, emit } = await pollMonitoringUpdated(identomat.read, undefined, options);
			expect(emit).toEqual([]);
			// The cursor never passes Identomat's now (the tolerance stands in when it sends no clock).
			expect(Date.parse(state.cursor)).toBeLessThanOrEqual(identomat.now());
			if (!dateHeader) expect(Date.parse(state.cursor)).toBe(identomat.n8nNow - CLOCK_TOLERANCE_MS);
			const out: string[] = [];
			for (let k = 1; k <= 5; k++) {
				identomat.list.push({
					id: `after-${k}`,
					lastUpdatedDate: new Date(identomat.now() + k * 1000 - 30_000).toISOString(),
				});
				({ state, emit } = await pollMonitoringUpdated(identomat.read, state, options));
				out.push(...emit.map((r) => r.id));
			}
			expect(out).toEqual(['after-1', 'after-2', 'after-3', 'after-4', 'after-5']);
		},
	);
});

describe('late-visible changes: a batch rescreen stamps its start and becomes visible over minutes', () => {
	const LIST = 'list-screening-monitoring-records';

	/** The versions a trigger emitted over its polls, checked to be new each time. */
	function collector() {
		const emitted = new Set<string>();
		return {
			emitted,
			take(out: IDataObject[] | null) {
				for (const v of (out ?? []).map(versionOf)) {
					expect(emitted.has(v)).toBe(false); // never twice
					emitted.add(v);
				}
			},
		};
	}

	/** `ids` changed with one stamp, in `parts` equal parts: the i-th part's versions. */
	const partsOf = (ids: string[], parts: number) =>
		Array.from({ length: parts }, (_, i) =>
			ids.slice((i * ids.length) / parts, ((i + 1) * ids.length) / parts),
		);

	const versionsOf = (ids: string[], stamp: number) => ids.map((id) => `${id}|${stamp}`);

	test.each([4, 10])(
		'2,000 of 3,000 people stamped with the batch start, visible over %d minutes, polls a minute apart: each change once',
		async (minutes) => {
			const ids: string[] = sb.monitoring.seed(3000);
			const trig = trigger('screeningMonitoringUpdated');
			expect(await trig.poll()).toBeNull();
			const batchStart = identomatNow();
			const { emitted, take } = collector();
			for (const part of partsOf(ids.slice(0, 2000), minutes)) {
				sb.listing.clockOffsetMs += MINUTE;
				sb.monitoring.touch(part, new Date(batchStart));
				take(await trig.poll());
			}
			for (let i = 0; i < 20; i++) {
				sb.listing.clockOffsetMs += MINUTE;
				take(await trig.poll());
			}
			expect([...emitted].sort()).toEqual(versionsOf(ids.slice(0, 2000), batchStart).sort());
		},
	);

	test('two polls fail on page 2, then a batch shows records sharing the newest stamp seen: each change once', async () => {
		const ids: string[] = sb.monitoring.seed(3000);
		const trig = trigger('screeningMonitoringUpdated');
		expect(await trig.poll()).toBeNull();
		const stamp = identomatNow();
		sb.monitoring.touch(ids.slice(0, 1500), new Date(stamp)); // two pages of 1,000
		const { emitted, take } = collector();
		for (let failing = 0; failing < 2; failing++) {
			sb.listing.clockOffsetMs += MINUTE;
			betweenPages((page) => {
				if (page === 0) sb.faults.add({ host: 'api', path: LIST, kind: 'status', status: 500 });
			});
			await expect(trig.poll()).rejects.toThrow(/500/);
			delete sb.listing.beforePage;
		}
		sb.listing.clockOffsetMs += MINUTE;
		take(await trig.poll());
		// The rest of the batch, with the same stamp, shows three and four minutes after it.
		for (const part of partsOf(ids.slice(1500, 2800), 2)) {
			sb.listing.clockOffsetMs += MINUTE;
			sb.monitoring.touch(part, new Date(stamp));
			take(await trig.poll());
		}
		sb.listing.clockOffsetMs += MINUTE;
		take(await trig.poll());
		expect([...emitted].sort()).toEqual(versionsOf(ids.slice(0, 2800), stamp).sort());
	});

	/**
	 * A slow Identomat (a minute a page, pages of 500) with a backlog that shows 2 to 11 minutes
	 * after its stamp, read over several polls (each stops after its first page): `between` runs before
	 * every poll. Every change comes out once.
	 */
	async function slowBacklog(between: (trig: PollingTrigger) => void) {
		sb.listing.maxPage = 500;
		const ids: string[] = sb.monitoring.seed(4600);
		sb.setLatency(2); // with a 1 ms budget, every poll stops after its first page
		const trig = trigger('screeningMonitoringUpdated', {}, 1);
		expect(await trig.poll()).toBeNull();
		betweenPages(() => (sb.listing.clockOffsetMs += MINUTE));
		// The batch began two minutes before its first part shows; its last part shows 11 later.
		const batchStart = identomatNow() - 2 * MINUTE;
		const { emitted, take } = collector();
		const parts = partsOf(ids, 10);
		for (let poll = 0; poll < 200; poll++) {
			between(trig);
			if (parts[poll]) sb.monitoring.touch(parts[poll], new Date(batchStart));
			take(await trig.poll());
		}
		delete sb.listing.beforePage;
		expect([...emitted].sort()).toEqual(versionsOf(ids, batchStart).sort());
	}

	test("Identomat's clock 10 minutes ahead of n8n's, a backlog on a slow Identomat over several polls: each change once", async () => {
		sb.listing.clockOffsetMs = 10 * MINUTE;
		await slowBacklog(() => {});
	});

	test('n8n restarted between every poll during a slow backlog: each change once', async () => {
		await slowBacklog((trig) => trig.restart());
	});
});
