/**
 * The polling logic of the Identomat Trigger, free of n8n so it can be tested on its own.
 *
 * Every function here takes the current state (what the previous successful poll stored) and
 * returns what to emit together with the next state. It never changes the state it is given: the
 * caller stores the new state only once the whole poll succeeded, so a poll that fails halfway
 * (a server answer failing while paging) emits nothing and the next poll covers the same ground.
 */

/** One page of a list endpoint, as Identomat answers it. */
export interface Page<T> {
	total: number;
	data: T[];
}

/** Reads `limit` records from position `start` (the caller names the parameters per endpoint). */
export type ReadPage<T> = (start: number, limit: number) => Promise<Page<T>>;

export interface MonitoringRecord {
	id: string;
	fullName?: string;
	lastUpdatedDate?: string;
	[key: string]: unknown;
}

export interface IdRecord {
	id: string;
	[key: string]: unknown;
}

/** The most pages one poll reads before giving up (a safety net against an endless list). */
export const MAX_PAGES = 10_000;

/** Whether a poll should stop reading further pages (n8n gives each poll a time budget). */
export type OutOfTime = () => boolean;

const neverOutOfTime: OutOfTime = () => false;

/**
 * Reads the pages from `start` to the end of the list. Advances by the number of records actually
 * received (Identomat may cap the limit below what was asked). When `outOfTime` says so after a
 * page, it stops early and says where to read on (`next`).
 */
export async function readFrom<T>(
	read: ReadPage<T>,
	start: number,
	pageSize: number,
	outOfTime: OutOfTime = neverOutOfTime,
): Promise<{ total: number; data: T[]; next?: number }> {
	const data: T[] = [];
	let total = 0;
	let position = start;
	for (let page = 0; page < MAX_PAGES; page++) {
		const answer = await read(position, pageSize);
		total = answer.total;
		data.push(...answer.data);
		position += answer.data.length;
		if (answer.data.length === 0 || position >= answer.total) break;
		if (outOfTime()) return { total, data, next: position };
	}
	return { total, data };
}

// ---------------------------------------------------------------------------------------------
// Screening Monitoring Updated: a timestamp cursor plus the changes seen near it
// ---------------------------------------------------------------------------------------------

/**
 * `cursor`: the newest `lastUpdatedDate` seen (or the activation time). `seen`: every
 * (record ID, lastUpdatedDate) already handled whose date is within the overlap of the cursor,
 * grouped by date to stay small when many records share a timestamp.
 */
export interface UpdatedState {
	cursor: string;
	seen: Record<string, string[]>;
	/**
	 * A backlog longer than one poll's time budget: the list position where the next poll reads
	 * on (for the same cursor), the IDs read just before it, and when this drain began.
	 */
	resume?: { position: number; anchors: string[]; startedAt: string };
}

/** Reads the records whose `lastUpdatedDate` is after (or at, depending on the server) `date`. */
export type ReadChanges = (
	date: string,
	start: number,
	limit: number,
) => Promise<Page<MonitoringRecord>>;

export interface UpdatedOptions {
	/** How far before the cursor each poll asks again, to catch records stamped late. */
	overlapMs: number;
	pageSize: number;
	/** The time of this poll (the cursor of a first activation). */
	now: Date;
	outOfTime?: OutOfTime;
	/** Work on each record to emit (looking up its matches), counted against the time budget. */
	prepare?: (record: MonitoringRecord) => Promise<MonitoringRecord>;
}

function time(iso: string | undefined): number {
	const t = iso ? Date.parse(iso) : Number.NaN;
	return Number.isFinite(t) ? t : Number.NaN;
}

const versionKey = (record: MonitoringRecord) => `${record.id}|${time(record.lastUpdatedDate)}`;

function seenKeys(seen: Record<string, string[]>): Set<string> {
	const keys = new Set<string>();
	for (const [date, ids] of Object.entries(seen))
		for (const id of ids) keys.add(`${id}|${time(date)}`);
	return keys;
}

/** A record with an ID and a readable date: the only kind that can be told apart and emitted. */
function isVersion(record: MonitoringRecord): boolean {
	return typeof record?.id === 'string' && Number.isFinite(time(record.lastUpdatedDate));
}

/** The (date → IDs) pairs already handled plus `records`, keeping only dates from `keepFrom` on. */
function seenWith(
	previous: Record<string, string[]>,
	records: MonitoringRecord[],
	keepFrom: number,
): Record<string, string[]> {
	const seen: Record<string, string[]> = {};
	const add = (date: string, id: string) => {
		if (time(date) < keepFrom) return;
		const list = (seen[date] ??= []);
		if (!list.includes(id)) list.push(id);
	};
	for (const [date, ids] of Object.entries(previous)) for (const id of ids) add(date, id);
	for (const r of records) add(r.lastUpdatedDate as string, r.id);
	return seen;
}

/** Keeps only the records with a readable date, one per ID (its newest version). */
function newestPerId(records: MonitoringRecord[]): MonitoringRecord[] {
	const byId = new Map<string, MonitoringRecord>();
	for (const record of records) {
		if (!isVersion(record)) continue;
		const known = byId.get(record.id);
		if (!known || time(record.lastUpdatedDate) > time(known.lastUpdatedDate))
			byId.set(record.id, record);
	}
	return [...byId.values()];
}

const RESUME_ANCHORS = 20;

/**
 * One poll of "Screening Monitoring Updated". It asks only for records changed since the cursor
 * minus the overlap, so its cost follows the number of changes, not the size of the list. A
 * record is emitted once per `lastUpdatedDate`: the pairs already handled within the overlap are
 * remembered, which makes the result the same whether the server's `date` filter is strictly
 * after or at-or-after. Without a state (first activation) it records what is there and emits
 * nothing.
 *
 * When the poll runs out of time (`outOfTime`) with more to read or prepare, it emits what it
 * has and leaves the rest to the next poll: the cursor stays, every pair handled is remembered,
 * and the next poll reads on from a little before where this one stopped (further back if
 * removals shifted the list), until the backlog is done.
 */
export async function pollMonitoringUpdated(
	readChanges: ReadChanges,
	state: UpdatedState | undefined,
	options: UpdatedOptions,
): Promise<{ emit: MonitoringRecord[]; state: UpdatedState }> {
	const cursor =
		state && Number.isFinite(time(state.cursor)) ? time(state.cursor) : options.now.getTime();
	const since = new Date(cursor - options.overlapMs).toISOString();
	const read: ReadPage<MonitoringRecord> = async (start, limit) =>
		await readChanges(since, start, limit);
	// The first activation only takes note of what is there: it reads to the end.
	const outOfTime = (state && options.outOfTime) || neverOutOfTime;
	const prepare = state ? options.prepare : undefined;
	const resume = state?.resume;

	const known = seenKeys(state?.seen ?? {});
	const handled: MonitoringRecord[] = [];
	const emit: MonitoringRecord[] = [];
	/** Handles one record; false when the budget ran out after it. */
	const visit = async (record: MonitoringRecord): Promise<boolean> => {
		if (!isVersion(record) || known.has(versionKey(record))) return true;
		known.add(versionKey(record));
		handled.push(record);
		if (!state) return true;
		emit.push(prepare ? await prepare(record) : record);
		return !(prepare && outOfTime());
	};

	let position = resume ? Math.max(0, resume.position - RESUME_ANCHORS) : 0;
	const firstRead = position;
	let cutAt: number | undefined;
	let lastVisited: MonitoringRecord[] = [];
	let anchorFound = !resume || resume.anchors.length === 0;
	pages: for (let page = 0; page < MAX_PAGES; page++) {
		const answer = await read(position, options.pageSize);
		anchorFound ||= answer.data.some((r) => resume!.anchors.includes(r?.id));
		for (const [index, record] of answer.data.entries()) {
			lastVisited.push(record);
			if (!(await visit(record))) {
				cutAt = position + index + 1;
				break pages;
			}
		}
		lastVisited = lastVisited.slice(-RESUME_ANCHORS);
		position += answer.data.length;
		if (answer.data.length === 0 || position >= answer.total) break;
		if (outOfTime()) {
			cutAt = position;
			break;
		}
	}
	// Resuming, and none of the IDs read last time is where it was: more records were removed
	// than were read again. Read back page by page until one shows up, so nothing is skipped
	// (whatever the budget: this is bounded by the removals).
	for (let back = firstRead; !anchorFound && back > 0; ) {
		const start = Math.max(0, back - options.pageSize);
		const earlier = await read(start, back - start);
		anchorFound = earlier.data.some((r) => resume!.anchors.includes(r?.id));
		for (const record of earlier.data) await visit(record);
		back = start;
	}

	const byDate = (a: MonitoringRecord, b: MonitoringRecord) =>
		time(a.lastUpdatedDate) - time(b.lastUpdatedDate) || a.id.localeCompare(b.id);
	emit.sort(byDate);
	if (cutAt !== undefined) {
		const anchors = lastVisited
			.slice(-RESUME_ANCHORS)
			.map((r) => r?.id)
			.filter((id): id is string => typeof id === 'string');
		return {
			emit,
			state: {
				cursor: new Date(cursor).toISOString(),
				seen: seenWith(state?.seen ?? {}, handled, Number.NEGATIVE_INFINITY),
				resume: {
					position: cutAt,
					anchors,
					startedAt: resume?.startedAt ?? options.now.toISOString(),
				},
			},
		};
	}

	let newCursor = handled.reduce((max, r) => Math.max(max, time(r.lastUpdatedDate)), cursor);
	// After a drain over several polls, records read early may have changed again while it went
	// on: the next poll looks again from when the drain began.
	if (resume && Number.isFinite(time(resume.startedAt)))
		newCursor = Math.min(newCursor, time(resume.startedAt));
	const seen = seenWith(state?.seen ?? {}, handled, newCursor - options.overlapMs);
	return { emit, state: { cursor: new Date(newCursor).toISOString(), seen } };
}

/** Manual mode: the record changed most recently (every changed record is read: user-started only). */
export async function newestChanged(
	readChanges: ReadChanges,
	pageSize: number,
): Promise<MonitoringRecord | undefined> {
	const { data } = await readFrom(
		(start, limit) => readChanges(new Date(0).toISOString(), start, limit),
		0,
		pageSize,
	);
	const changed = newestPerId(data);
	return changed.sort((a, b) => time(b.lastUpdatedDate) - time(a.lastUpdatedDate))[0];
}

// ---------------------------------------------------------------------------------------------
// Person Added to Monitoring, Blacklist Record Added: the list's tail as anchors
// ---------------------------------------------------------------------------------------------

/**
 * Both lists keep insertion order (new records are appended; removing one shifts the later ones
 * back). The state is the list's length and the IDs of its last few records, the anchors. A poll
 * reads from a little before the old end: every record after the newest anchor still present
 * is new. When more records were removed than there are anchors, the poll reads further back,
 * page by page, until it finds one.
 */
export interface AddedState {
	total: number;
	tail: string[];
}

export interface AddedOptions {
	pageSize: number;
	/** How many of the last IDs to remember. */
	anchors: number;
	outOfTime?: OutOfTime;
}

export const DEFAULT_ANCHORS = 20;

function tailOf(records: IdRecord[], anchors: number): string[] {
	return records.slice(-anchors).map((r) => r.id);
}

/**
 * One poll of an "added" event. Cost: one request when fewer than `pageSize - anchors` records
 * were added, one more per further page of additions; reading back (more removals than anchors
 * since the last poll) adds one request per page read back. Without a state (first activation)
 * it records the end of the list and emits nothing (two small requests).
 *
 * If every anchor was removed, nothing tells old records from new ones: the poll emits nothing
 * and starts again from the current end (documented limitation; 20 anchors make it unlikely).
 */
export async function pollAdded<T extends IdRecord>(
	read: ReadPage<T>,
	state: AddedState | undefined,
	options: AddedOptions,
): Promise<{ emit: T[]; state: AddedState }> {
	if (!state) {
		const head = await read(0, 1);
		if (head.total <= 1)
			return { emit: [], state: { total: head.total, tail: tailOf(head.data, options.anchors) } };
		const end = await readFrom(read, Math.max(0, head.total - options.anchors), options.anchors);
		return { emit: [], state: { total: end.total, tail: tailOf(end.data, options.anchors) } };
	}

	const anchors = new Set(state.tail);
	let from = Math.max(0, state.total - state.tail.length);
	const window = await readFrom(read, from, options.pageSize, options.outOfTime);
	let records = window.data;
	const total = window.total;
	// Cut short by the time budget: the list counts as ending where this poll stopped reading.
	const knownEnd = window.next ?? total;
	let anchorAt = lastIndexIn(records, anchors);
	// More removals than anchors: read back page by page until an anchor shows up.
	while (anchorAt < 0 && from > 0 && anchors.size > 0) {
		const start = Math.max(0, Math.min(from, total) - options.pageSize);
		const earlier = await read(start, Math.min(from, total) - start);
		records = [...earlier.data, ...records.filter((r) => !earlier.data.some((e) => e.id === r.id))];
		from = start;
		anchorAt = lastIndexIn(records, anchors);
	}

	let emit: T[] = [];
	if (anchorAt >= 0 || anchors.size === 0) {
		const ids = new Set<string>();
		emit = records
			.slice(anchorAt + 1)
			.filter(
				(r) => typeof r?.id === 'string' && !anchors.has(r.id) && !ids.has(r.id) && ids.add(r.id),
			);
	}
	const tail = records.length
		? tailOf(records, options.anchors)
		: state.tail.filter(() => total > 0);
	return { emit, state: { total: knownEnd, tail } };
}

function lastIndexIn(records: IdRecord[], ids: Set<string>): number {
	for (let i = records.length - 1; i >= 0; i--) if (ids.has(records[i]?.id)) return i;
	return -1;
}

/** Manual mode: the last record of the list (two small requests). */
export async function newestAdded<T>(read: ReadPage<T>): Promise<T | undefined> {
	const head = await read(0, 1);
	if (head.total <= 1) return head.data[0];
	const last = await read(head.total - 1, 1);
	return last.data[last.data.length - 1] ?? head.data[0];
}
