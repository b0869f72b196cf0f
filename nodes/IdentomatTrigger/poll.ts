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

/**
 * Reads every page from `start` to the end of the list. Advances by the number of records
 * actually received (Identomat may cap the limit below what was asked).
 */
export async function readFrom<T>(read: ReadPage<T>, start: number, pageSize: number): Promise<{ total: number; data: T[] }> {
	const data: T[] = [];
	let total = 0;
	let position = start;
	for (let page = 0; page < MAX_PAGES; page++) {
		const answer = await read(position, pageSize);
		total = answer.total;
		data.push(...answer.data);
		position += answer.data.length;
		if (answer.data.length === 0 || position >= answer.total) break;
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
}

/** Reads the records whose `lastUpdatedDate` is after (or at, depending on the server) `date`. */
export type ReadChanges = (date: string, start: number, limit: number) => Promise<Page<MonitoringRecord>>;

export interface UpdatedOptions {
	/** How far before the cursor each poll asks again, to catch records stamped late. */
	overlapMs: number;
	pageSize: number;
	/** The time of this poll (the cursor of a first activation). */
	now: Date;
}

function time(iso: string | undefined): number {
	const t = iso ? Date.parse(iso) : Number.NaN;
	return Number.isFinite(t) ? t : Number.NaN;
}

function seenKeys(seen: Record<string, string[]>): Set<string> {
	const keys = new Set<string>();
	for (const [date, ids] of Object.entries(seen)) for (const id of ids) keys.add(`${id}|${time(date)}`);
	return keys;
}

/** Keeps only the records with a readable date, one per ID (its newest version). */
function newestPerId(records: MonitoringRecord[]): MonitoringRecord[] {
	const byId = new Map<string, MonitoringRecord>();
	for (const record of records) {
		if (typeof record?.id !== 'string' || !Number.isFinite(time(record.lastUpdatedDate))) continue;
		const known = byId.get(record.id);
		if (!known || time(record.lastUpdatedDate) > time(known.lastUpdatedDate)) byId.set(record.id, record);
	}
	return [...byId.values()];
}

/**
 * One poll of "Screening Monitoring Updated". It asks only for records changed since the cursor
 * minus the overlap, so its cost follows the number of changes, not the size of the list. A
 * record is emitted once per `lastUpdatedDate`: the pairs already handled within the overlap are
 * remembered, which makes the result the same whether the server's `date` filter is strictly
 * after or at-or-after. Without a state (first activation) it records what is there and emits
 * nothing.
 */
export async function pollMonitoringUpdated(
	readChanges: ReadChanges,
	state: UpdatedState | undefined,
	options: UpdatedOptions,
): Promise<{ emit: MonitoringRecord[]; state: UpdatedState }> {
	const cursor = state && Number.isFinite(time(state.cursor)) ? time(state.cursor) : options.now.getTime();
	const since = new Date(cursor - options.overlapMs).toISOString();
	const { data } = await readFrom((start, limit) => readChanges(since, start, limit), 0, options.pageSize);
	const changed = newestPerId(data);

	const known = seenKeys(state?.seen ?? {});
	const emit = state
		? changed
				.filter((r) => !known.has(`${r.id}|${time(r.lastUpdatedDate)}`))
				.sort((a, b) => time(a.lastUpdatedDate) - time(b.lastUpdatedDate) || a.id.localeCompare(b.id))
		: [];

	const newCursor = changed.reduce((max, r) => Math.max(max, time(r.lastUpdatedDate)), cursor);
	const keepFrom = newCursor - options.overlapMs;
	const seen: Record<string, string[]> = {};
	const add = (date: string, id: string) => {
		if (time(date) < keepFrom) return;
		const list = (seen[date] ??= []);
		if (!list.includes(id)) list.push(id);
	};
	for (const [date, ids] of Object.entries(state?.seen ?? {})) for (const id of ids) add(date, id);
	for (const r of changed) add(r.lastUpdatedDate as string, r.id);
	return { emit, state: { cursor: new Date(newCursor).toISOString(), seen } };
}

/** Manual mode: the record changed most recently (every changed record is read: user-started only). */
export async function newestChanged(readChanges: ReadChanges, pageSize: number): Promise<MonitoringRecord | undefined> {
	const { data } = await readFrom((start, limit) => readChanges(new Date(0).toISOString(), start, limit), 0, pageSize);
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
		if (head.total <= 1) return { emit: [], state: { total: head.total, tail: tailOf(head.data, options.anchors) } };
		const end = await readFrom(read, Math.max(0, head.total - options.anchors), options.anchors);
		return { emit: [], state: { total: end.total, tail: tailOf(end.data, options.anchors) } };
	}

	const anchors = new Set(state.tail);
	let from = Math.max(0, state.total - state.tail.length);
	const window = await readFrom(read, from, options.pageSize);
	let records = window.data;
	const total = window.total;
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
		emit = records.slice(anchorAt + 1).filter((r) => typeof r?.id === 'string' && !anchors.has(r.id) && !ids.has(r.id) && ids.add(r.id));
	}
	const tail = records.length ? tailOf(records, options.anchors) : state.tail.filter(() => total > 0);
	return { emit, state: { total, tail } };
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
