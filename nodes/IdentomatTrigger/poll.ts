/**
 * The polling logic of the Identomat Trigger, free of n8n so it can be tested on its own: the
 * lists come in as page fetchers (the node makes them with nodes/shared/api/lists.ts, the same calls the
 * action node's Get Many operations make).
 *
 * Why it never loses or repeats a change: five invariants. Each names the tests that guard it
 * (test/triggers/…); poll.model.test.ts (fast-check, an adversarial Identomat) guards them all.
 *
 * 1. Clock. The cursor of "Screening Monitoring Updated" is on Identomat's clock and never passes
 *    Identomat's "now" at the start of the poll that sets it, the first one (at activation)
 *    included: that now is the `Date` header of the poll's first answer or, when Identomat sends
 *    none, n8n's clock minus CLOCK_TOLERANCE_MS. A complete read sets cursor = max(old cursor,
 *    that now). Record stamps never move it, so a record stamped in the future or a clock off
 *    n8n's cannot carry it past changes still to come.
 *    Guarded by: poll.regressions.test.ts "a record stamped an hour ahead…", "Identomat's clock
 *    10 minutes off n8n's".
 * 2. Late changes. Each poll asks for the changes stamped since its window's start: the cursor
 *    minus the late-change bound (`lateMs`, 15 minutes unless the user sets it) minus MARGIN_MS.
 *    A change that becomes visible at most `lateMs` after its stamp is visible after the cursor
 *    (else the read that set the cursor saw it), so its stamp is inside the next window: it is
 *    read. A batch rescreen that stamps its start and commits over minutes is the common case.
 *    Guarded by: poll.regressions.test.ts "late-visible changes", the model's visibility delays.
 * 3. Memory. Every (record, stamp) pair handled with a stamp at or after the next window's start
 *    is remembered (`seen`, from `seenFrom` on) and skipped when read again; nothing older is
 *    kept, because no read asks for it again. The window never starts before `seenFrom`, so a
 *    raised bound widens it only as fast as the memory does (no change comes out twice).
 *    Guarded by: poll.test.ts "the late-change bound (Late Changes Window)", the model.
 * 4. Position. Lists are read by position through the shared pager (nodes/shared/api/pagination.ts): pages
 *    overlap and must continue after a record already read (matched by ID, and by stamp where
 *    records change), stepping back when the list shifted. A read that cannot find its place
 *    reads again rather than guessing, a bounded number of times, and otherwise fails the poll.
 *    Guarded by: pager.test.ts, poll.regressions.test.ts "a removal while a poll pages…".
 * 5. State. Nothing here changes the state it is given. The node stores the returned state only
 *    once the whole poll succeeded, in the static-data object n8n hands it; a failing poll emits
 *    nothing and the next one covers the same ground.
 *    Guarded by: poll.test.ts "a failure mid-paging emits nothing and keeps the state…", the
 *    model's failing pages and restarts.
 *
 * A poll that runs out of its time budget (budget.ts) emits what it handled and stores where it
 * stopped: the next poll reads on from there (same window start, same cursor, every handled pair
 * remembered), and the cursor moves only when the window is read to its end, to Identomat's now
 * at the start of the first poll of that window.
 */
import {
	blacklistKey,
	type MonitoringRecord,
	monitoringVersion,
	stampOf,
} from '../shared/api/lists';
import { type ListPosition, type PageFetcher, readList } from '../shared/api/pagination';
import type { OutOfTime } from './budget';

/** How late after its stamp a change may become visible and still come out, unless the user sets it. */
export const DEFAULT_LATE_MS = 15 * 60_000;

/**
 * Read on top of the bound: the `Date` header has whole seconds, and Identomat's read happens
 * some time before its answer is dated.
 */
export const MARGIN_MS = 60_000;

/** Without a `Date` header from Identomat: how far its clock may be behind n8n's. */
export const CLOCK_TOLERANCE_MS = 15 * 60_000;

/** Records each page reads again to check continuity; the IDs an "added" poll remembers. */
export const ANCHORS = 20;

export interface IdRecord {
	id: string;
	[key: string]: unknown;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A page fetcher that reports Identomat's clock from its first answer. */
function noticingClock<T>(
	fetch: PageFetcher<T>,
	notice: (serverMs: number) => void,
): PageFetcher<T> {
	let first = true;
	return async (offset, limit) => {
		const page = await fetch(offset, limit);
		if (first && page.serverDate && Number.isFinite(page.serverDate.getTime()))
			notice(page.serverDate.getTime());
		first = false;
		return page;
	};
}

// ---------------------------------------------------------------------------------------------
// Screening Monitoring Updated: a cursor on Identomat's clock plus the pairs handled since
// ---------------------------------------------------------------------------------------------

export interface UpdatedState {
	/** Identomat's clock (ISO 8601). */
	cursor: string;
	/** The stamp from which on every pair handled is in `seen` (ISO 8601). */
	seenFrom: string;
	/** The (record, stamp) pairs handled, as stamp → record IDs (compact when many share a stamp). */
	seen: Record<string, string[]>;
	/**
	 * A window read over several polls: where it starts (the list is filtered by it, so it is kept
	 * as it was), where to read on, and Identomat's now when it began.
	 */
	drain?: { since: string; position: ListPosition; startedAt: string };
}

/** Reads the records whose last update is after (or at, depending on the server) `date`. */
export type ReadChanges = (date: string) => PageFetcher<MonitoringRecord>;

export interface UpdatedOptions {
	pageSize: number;
	/** How late after its stamp a change may become visible (DEFAULT_LATE_MS unless set). */
	lateMs?: number;
	/** n8n's clock, used only when Identomat sends no `Date` header. */
	now: Date;
	outOfTime?: OutOfTime;
	/** Work on each record to emit (looking up its matches), counted against the time budget. */
	prepare?: (record: MonitoringRecord) => Promise<MonitoringRecord>;
	/** The error for a list that kept shifting under every attempt to read it. */
	keptShifting?: () => Error;
}

/** The pairs handled, as a set of versions, and back to the compact stored form. */
class Handled {
	private readonly versions = new Set<string>();

	private readonly pairs: Array<[number, string]> = [];

	constructor(stored: Record<string, string[]> = {}) {
		for (const [date, ids] of Object.entries(stored)) {
			const stamp = Date.parse(date);
			if (Number.isFinite(stamp) && Array.isArray(ids)) for (const id of ids) this.add(id, stamp);
		}
	}

	has(record: MonitoringRecord) {
		return this.versions.has(monitoringVersion(record)!);
	}

	add(id: string, stamp: number) {
		const version = `${id}|${stamp}`;
		if (this.versions.has(version)) return;
		this.versions.add(version);
		this.pairs.push([stamp, id]);
	}

	/** The pairs stamped from `keepFrom` on. */
	stored(keepFrom: number): Record<string, string[]> {
		const out: Record<string, string[]> = {};
		for (const [stamp, id] of this.pairs) if (stamp >= keepFrom) (out[iso(stamp)] ??= []).push(id);
		return out;
	}
}

/** A record with an ID and a readable stamp: the only kind that can be told apart and emitted. */
const isVersion = (record: MonitoringRecord) =>
	typeof record?.id === 'string' && Number.isFinite(stampOf(record));

const byStamp = (a: MonitoringRecord, b: MonitoringRecord) =>
	stampOf(a) - stampOf(b) || a.id.localeCompare(b.id);

/**
 * One poll of "Screening Monitoring Updated". Its cost follows the number of changes in the
 * window, not the size of the list. Without a state (first activation) it takes note of the
 * changes already there and emits nothing.
 */
export async function pollMonitoringUpdated(
	readChanges: ReadChanges,
	state: UpdatedState | undefined,
	options: UpdatedOptions,
): Promise<{ emit: MonitoringRecord[]; state: UpdatedState }> {
	const cursor = Date.parse(state?.cursor ?? '');
	const seenFrom = Date.parse(state?.seenFrom ?? '');
	if (!state || !Number.isFinite(cursor) || !Number.isFinite(seenFrom))
		return { emit: [], state: await activate(readChanges, options) };

	const reach = reachOf(options);
	const drain = state.drain;
	const drainSince = Date.parse(drain?.since ?? '');
	const since = Number.isFinite(drainSince) ? drainSince : Math.max(cursor - reach, seenFrom);
	const handled = new Handled(state.seen);
	const outOfTime = options.outOfTime ?? (() => false);
	let serverNow: number | undefined;
	const emit: MonitoringRecord[] = [];
	const result = await readList(
		noticingClock(readChanges(iso(since)), (ms) => (serverNow = ms)),
		{
			pageSize: options.pageSize,
			key: monitoringVersion,
			overlap: ANCHORS,
			from: Number.isFinite(drainSince) ? drain?.position : undefined,
			// The window read again from its start: every pair handled in it is remembered.
			restartIfLost: true,
			stopAfterPage: outOfTime,
			keptShifting: options.keptShifting,
			visit: async (record) => {
				if (!isVersion(record) || handled.has(record)) return true;
				handled.add(record.id, stampOf(record));
				emit.push(options.prepare ? await options.prepare(record) : record);
				return !(options.prepare && outOfTime());
			},
		},
	);
	emit.sort(byStamp);

	const drainStart = Date.parse(drain?.startedAt ?? '');
	const startedAt = Number.isFinite(drainStart)
		? drainStart
		: (serverNow ?? options.now.getTime() - CLOCK_TOLERANCE_MS);
	if (!result.done) {
		return {
			emit,
			state: {
				cursor: state.cursor,
				seenFrom: iso(since),
				seen: handled.stored(since),
				drain: { since: iso(since), position: result.position, startedAt: iso(startedAt) },
			},
		};
	}
	const next = Math.max(cursor, startedAt);
	// Everything handled from `since` on is known; the next window needs no more than its reach.
	const keepFrom = Math.max(next - reach, since);
	return {
		emit,
		state: { cursor: iso(next), seenFrom: iso(keepFrom), seen: handled.stored(keepFrom) },
	};
}

/** How far back from the cursor a window starts. */
function reachOf(options: UpdatedOptions) {
	const late = options.lateMs ?? DEFAULT_LATE_MS;
	return (Number.isFinite(late) && late >= 0 ? late : DEFAULT_LATE_MS) + MARGIN_MS;
}

/**
 * The first poll: the cursor is Identomat's now, and the changes already in the window it opens
 * are taken note of. Identomat's clock is known only from its first answer, so the first read asks
 * from n8n's clock minus the tolerance, and reads again when Identomat is further behind.
 */
async function activate(readChanges: ReadChanges, options: UpdatedOptions): Promise<UpdatedState> {
	const reach = reachOf(options);
	const handled = new Handled();
	const readWindow = async (since: number) => {
		let serverNow: number | undefined;
		await readList(
			noticingClock(readChanges(iso(since)), (ms) => (serverNow = ms)),
			{
				pageSize: options.pageSize,
				key: monitoringVersion,
				overlap: ANCHORS,
				restartIfLost: true,
				keptShifting: options.keptShifting,
				visit: (record) => {
					if (isVersion(record)) handled.add(record.id, stampOf(record));
					return true;
				},
			},
		);
		return serverNow;
	};
	const guess = options.now.getTime() - CLOCK_TOLERANCE_MS;
	const serverNow = await readWindow(guess - reach);
	const now = serverNow ?? guess;
	if (guess > now) await readWindow(now - reach);
	const keepFrom = now - reach;
	return { cursor: iso(now), seenFrom: iso(keepFrom), seen: handled.stored(keepFrom) };
}

/** Manual mode: the record changed most recently (every changed record is read: user-started only). */
export async function newestChanged(
	readChanges: ReadChanges,
	pageSize: number,
): Promise<MonitoringRecord | undefined> {
	let newest: MonitoringRecord | undefined;
	await readList(readChanges(iso(0)), {
		pageSize,
		key: monitoringVersion,
		overlap: ANCHORS,
		restartIfLost: true,
		visit: (record) => {
			if (isVersion(record) && (!newest || stampOf(record) > stampOf(newest))) newest = record;
			return true;
		},
	});
	return newest;
}

// ---------------------------------------------------------------------------------------------
// Person Added to Monitoring, Blacklist Record Added: the position after the last record seen
// ---------------------------------------------------------------------------------------------

/**
 * Both lists keep insertion order (new records are appended; removing one shifts the later ones
 * back). The state is where the list ended at the last poll, with the IDs of its last records as
 * anchors: every record after the newest anchor still there is new.
 */
export interface AddedState {
	position: ListPosition;
}

export interface AddedOptions {
	pageSize: number;
	outOfTime?: OutOfTime;
	/** Told when every anchor was removed: additions since the last poll cannot be told apart. */
	onLost?: () => void;
	keptShifting?: () => Error;
}

const idsOf = (records: IdRecord[]) =>
	records.map(blacklistKey).filter((id): id is string => id !== undefined);

function positionOf(state: AddedState | undefined): ListPosition | undefined {
	const position = state?.position;
	return position && Number.isFinite(position.offset) ? position : undefined;
}

/** Where the list ends now (two small requests when the answer gives a total). */
async function endOf<T extends IdRecord>(
	read: PageFetcher<T>,
	pageSize: number,
): Promise<ListPosition> {
	const head = await read(0, 1);
	if (head.total !== undefined && head.total <= 1) {
		return { offset: head.records.length, anchors: idsOf(head.records) };
	}
	// The last records, read as any page is (Identomat may answer fewer than asked).
	const tail = { offset: Math.max(0, (head.total ?? 0) - ANCHORS), anchors: [] };
	let left = (head.total ?? Infinity) - tail.offset;
	const end = await readList(read, {
		pageSize,
		key: blacklistKey,
		overlap: ANCHORS,
		from: tail,
		wanted: () => Math.max(1, left),
		visit: () => --left > 0,
	});
	return end.position;
}

/**
 * One poll of an "added" event. Cost: one request when fewer than `pageSize - ANCHORS` records
 * were added, one more per further page; reading back (more removals than anchors since the last
 * poll) one request per page read back. Without a state (first activation) it takes note of the
 * end of the list and emits nothing.
 *
 * If every anchor was removed, nothing tells old records from new ones: the poll emits only what
 * it found before that, says so (`onLost`) and starts again from the current end.
 */
export async function pollAdded<T extends IdRecord>(
	read: PageFetcher<T>,
	state: AddedState | undefined,
	options: AddedOptions,
): Promise<{ emit: T[]; state: AddedState; done: boolean }> {
	const from = positionOf(state);
	if (!from)
		return { emit: [], state: { position: await endOf(read, options.pageSize) }, done: true };
	const emit: T[] = [];
	const result = await readList(read, {
		pageSize: options.pageSize,
		key: blacklistKey,
		overlap: ANCHORS,
		from,
		stopAfterPage: options.outOfTime,
		keptShifting: options.keptShifting,
		visit: (record) => {
			if (blacklistKey(record) !== undefined) emit.push(record);
			return true;
		},
	});
	if (result.lost) {
		// The records found after an anchor before it was lost are new all the same.
		options.onLost?.();
		return { emit, state: { position: await endOf(read, options.pageSize) }, done: true };
	}
	return { emit, state: { position: result.position }, done: result.done };
}

/** Manual mode: the last record of the list (two small requests). */
export async function newestAdded<T>(read: PageFetcher<T>): Promise<T | undefined> {
	const head = await read(0, 1);
	if (head.total === undefined || head.total <= 1) return head.records[0];
	const last = await read(head.total - 1, 1);
	return last.records[last.records.length - 1] ?? head.records[0];
}
