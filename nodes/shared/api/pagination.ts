import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { errorPlace, type IdentomatContext, messageAt } from '../transport';

/**
 * The one pager of both nodes: "Return All / Limit" of the action node and every read of the
 * trigger go through `readList`, whatever the endpoint calls its offset; lists Identomat answers
 * whole (groups, users) get a client-side limit.
 *
 * Reading by position is fragile: a record removed before the current position shifts the rest
 * back, and the record crossing the page boundary would never be read. Its invariants, each with
 * the tests that guard it (test/…):
 *
 * 1. Continuity. With keys, every page after the first starts a few records early (the overlap)
 *    and must contain one of the last records read (the anchors): the new records are the ones
 *    after the last anchor in it. An anchor found earlier than expected is a list that shifted
 *    back, which the overlap absorbs; no anchor in the page means it shifted further: the read
 *    steps back a page. Guarded by: triggers/pager.test.ts, triggers/poll.regressions.test.ts
 *    "a removal while a poll pages skips no record".
 * 2. Once. A record (a key) is handed out at most once per read, also when the read starts over.
 *    Guarded by: triggers/poll.model.test.ts (both events), pager.test.ts.
 * 3. No guessing. A read that cannot find its place at all reads again from where it began (or,
 *    when those anchors are gone too, from the list's start, or says `lost`), at most
 *    MAX_RESTARTS times, then fails with ListKeptShiftingError. Guarded by: pager.test.ts "a list
 *    that changes faster than it can be read".
 * 4. A true stopping place. A stop (the caller's time budget) is taken only after a page, never
 *    while a read that started over goes again over records it handed out (the next read would
 *    hand them out again). Guarded by: pager.test.ts "out of time just after it started over".
 * 5. Capped pages. Identomat may answer fewer records than asked: then at most half such a page is
 *    read again, and a short page is the end only when no `total` says more exist. Guarded by:
 *    pager.test.ts "pages capped at 30 records", the model (caps of 4 and 11).
 * 6. Never forever. At most MAX_PAGES requests; an API that ignores the offset (the same page
 *    twice, without keys) ends the read. Guarded by: operations/screening.test.ts "stops when the
 *    API ignores the offset".
 */

/** Records per request: the reference's own example asks for 100. */
export const PAGE_SIZE = 100;

/** Records each page reads again to check it continues the previous one. */
export const PAGE_OVERLAP = 10;

/** A safety stop for an API that keeps answering full pages: 100,000 records at 100 a page. */
export const MAX_PAGES = 1000;

/** How often one read may start over because the list kept shifting under it. */
export const MAX_RESTARTS = 3;

export interface Page<T> {
	records: T[];
	/** How many records exist in all, when the answer says so. */
	total?: number;
	/** The page size the API applied, when the answer says so (it may be lower than requested). */
	limit?: number;
	/** Identomat's clock when it answered (its `Date` header), when it sent one. */
	serverDate?: Date;
}

/** Fetches the page of `limit` records starting after `offset` records. */
export type PageFetcher<T> = (offset: number, limit: number) => Promise<Page<T>>;

/** Where a read stopped: the position of the next record and the keys of the records just before it. */
export interface ListPosition {
	offset: number;
	anchors: string[];
	/** How many records before `offset` to read again (half the last page: Identomat may cap pages). */
	back?: number;
}

export interface ReadListOptions<T> {
	pageSize: number;
	/** Tells records apart (and their versions, where records change): turns on the overlap check. */
	key?: (record: T) => string | undefined;
	/** Anchors per page (records read twice); defaults to PAGE_OVERLAP. */
	overlap?: number;
	/** Reads on from a position an earlier read returned, instead of from the start. */
	from?: ListPosition;
	/**
	 * When none of `from`'s anchors is in the list any more: true reads from the list's start
	 * (the caller skips what it handled before), false ends the read with `lost`.
	 */
	restartIfLost?: boolean;
	/** How many more records are wanted (for the size of the last request); Infinity by default. */
	wanted?: () => number;
	/** Each record not handed out before in this read, in list order; false stops the read after it. */
	visit: (record: T) => boolean | Promise<boolean>;
	/** Asked after each page: true stops the read there (a time budget). */
	stopAfterPage?: () => boolean;
	/** The error for a list that kept shifting under every attempt (ListKeptShiftingError by default). */
	keptShifting?: () => Error;
}

export interface ReadListResult {
	/** The end of the list was reached. */
	done: boolean;
	/** `from`'s anchors are gone (only with restartIfLost false): nothing tells where to read on. */
	lost?: boolean;
	/** Where to read on. */
	position: ListPosition;
}

/** The list changed so much while it was read that no place to read on could be found. */
export class ListKeptShiftingError extends Error {
	constructor() {
		super('The list kept changing while it was read');
		this.name = 'ListKeptShiftingError';
	}
}

/** What placing a page found: the index of its first new record, or what to do instead. */
type Place = { first: number } | { retry: true } | { lost: true };

/**
 * One read of a list, as named steps: ask for a page, find where it continues the last one, hand
 * out its new records, then decide whether the list ended, the read stops, or it goes on.
 */
class ListReader<T> {
	private readonly key?: (record: T) => string | undefined;

	/** Anchors per page (0 without keys). */
	private readonly overlap: number;

	private readonly wanted: () => number;

	/** Where this read began (the caller's `from`). */
	private readonly begin: ListPosition;

	/** The position of the next new record, the keys just before it, and where the next page starts. */
	private offset = 0;

	private anchors: string[] = [];

	private start = 0;

	/** Keys handed out in this read: never handed out twice, even after starting over. */
	private readonly handed = new Set<string>();

	private restarts = 0;

	/**
	 * After starting over, the read goes again over records it handed out already; a position in
	 * there would make the next read hand them out again, so no stop is taken until a record is
	 * new (in a list that only appends, every record handed out before comes ahead of it).
	 */
	private goingOver = false;

	/** Without keys: the last page, to notice an API that ignores the offset. */
	private previous?: string;

	/** The longest page Identomat answered in this read, and the size it caps pages to, once seen. */
	private widest = 0;

	private cap: number;

	constructor(
		private readonly fetchPage: PageFetcher<T>,
		private readonly options: ReadListOptions<T>,
	) {
		this.key = options.key;
		const { pageSize } = options;
		this.overlap = this.key
			? Math.max(1, Math.min(options.overlap ?? PAGE_OVERLAP, pageSize - 1))
			: 0;
		this.wanted = options.wanted ?? (() => Infinity);
		this.begin = {
			offset: options.from?.offset ?? 0,
			anchors: this.key ? (options.from?.anchors ?? []).slice(-this.overlap) : [],
			back: options.from?.back,
		};
		this.cap = this.begin.back === undefined ? Infinity : 2 * this.begin.back;
		this.goTo(this.begin);
	}

	async read(): Promise<ReadListResult> {
		for (let page = 0; page < MAX_PAGES; page++) {
			const requested = this.pageLength();
			const answer = await this.fetchPage(this.start, requested);
			const { records } = answer;
			this.learnCap(answer, requested);
			const place = this.placeOf(records);
			if ('retry' in place) continue;
			if ('lost' in place) return { done: false, lost: true, position: this.begin };
			if (this.repeatsPrevious(records)) {
				return { done: true, position: { offset: this.offset, anchors: this.anchors } };
			}
			const stoppedAt = await this.handOut(records, place.first);
			if (stoppedAt !== undefined) return { done: false, position: this.after(records, stoppedAt) };
			const position = this.after(records, records.length);
			if (this.isLastPage(answer, requested, position)) return { done: true, position };
			if (this.wanted() <= 0 || (!this.goingOver && this.options.stopAfterPage?.()))
				return { done: false, position };
			this.goTo(position);
		}
		return { done: false, position: { offset: this.offset, anchors: this.anchors } };
	}

	/** Reads on from `position`, starting a few records early (at most half a capped page). */
	private goTo(position: ListPosition) {
		({ offset: this.offset, anchors: this.anchors } = position);
		this.start = Math.max(
			0,
			this.offset - Math.min(this.anchors.length, position.back ?? this.overlap),
		);
	}

	/** A page brings up to pageSize records not read yet, plus the ones read again. */
	private pageLength() {
		const again = this.offset - this.start;
		const { pageSize } = this.options;
		return Math.max(
			1,
			Math.min(pageSize + this.overlap, again + Math.min(pageSize, this.wanted())),
		);
	}

	/** A page shorter than asked while more records exist: Identomat caps its pages. */
	private learnCap(answer: Page<T>, requested: number) {
		const length = answer.records.length;
		this.widest = Math.max(this.widest, length);
		if (
			length < requested &&
			((answer.total ?? 0) > this.start + length || (answer.limit ?? Infinity) < requested)
		) {
			this.cap = Math.min(this.cap, length);
		}
	}

	/**
	 * Where the page continues the read: after the last anchor it holds. No anchor in a page that
	 * does not start the list: the list shifted back further than the overlap, so look a page
	 * earlier (pages still overlap). No anchor anywhere: start over.
	 */
	private placeOf(records: T[]): Place {
		if (!this.anchors.length || !this.key) return { first: 0 };
		const at = this.lastAnchorIn(records);
		if (at >= 0) return { first: at + 1 };
		if (this.start > 0) {
			const step = Math.max(1, Math.min(this.options.pageSize, this.widest) - 1);
			this.start = Math.max(0, this.start - step);
			this.previous = undefined;
			return { retry: true };
		}
		return this.startOver();
	}

	private lastAnchorIn(records: T[]): number {
		const anchors = new Set(this.anchors);
		for (let i = records.length - 1; i >= 0; i--) {
			const k = this.key!(records[i]);
			if (k !== undefined && anchors.has(k)) return i;
		}
		return -1;
	}

	/**
	 * None of the anchors is anywhere: read again from where this read began, or, when those
	 * anchors are gone too, from the list's start (or say so), a bounded number of times.
	 */
	private startOver(): Place {
		let from: ListPosition;
		if (this.anchors !== this.begin.anchors) from = this.begin;
		else if (this.options.restartIfLost) from = { offset: 0, anchors: [] };
		else return { lost: true };
		if (++this.restarts > MAX_RESTARTS)
			throw this.options.keptShifting?.() ?? new ListKeptShiftingError();
		this.goTo(from);
		this.previous = undefined;
		this.goingOver = this.handed.size > 0;
		return { retry: true };
	}

	/**
	 * An API that ignores the offset answers the same page again: that is the end. (With keys the
	 * anchors do this: a list that shifted forward may repeat a page legitimately.)
	 */
	private repeatsPrevious(records: T[]): boolean {
		if (this.key) return false;
		const fingerprint = JSON.stringify(records);
		const repeated = records.length > 0 && fingerprint === this.previous;
		this.previous = fingerprint;
		return repeated;
	}

	/** Hands out the page's records from `first` on, each key once; the index to stop after, if `visit` said stop. */
	private async handOut(records: T[], first: number): Promise<number | undefined> {
		for (let i = first; i < records.length; i++) {
			const k = this.key?.(records[i]);
			if (k !== undefined) {
				if (this.handed.has(k)) continue;
				this.handed.add(k);
				this.goingOver = false;
			}
			if (!(await this.options.visit(records[i]))) return i + 1;
		}
		return undefined;
	}

	/** The position after the first `end` records of a page read from `start`. */
	private after(records: T[], end: number): ListPosition {
		if (!this.key) return { offset: this.start + end, anchors: [] };
		const read = records
			.slice(0, end)
			.map(this.key)
			.filter((k): k is string => k !== undefined);
		const inPage = new Set(read);
		const kept = [...this.anchors.filter((k) => !inPage.has(k)), ...read].slice(-this.overlap);
		// At most half a page is read again where Identomat answers fewer records than asked.
		const back = Number.isFinite(this.cap) ? Math.max(1, Math.floor(this.cap / 2)) : undefined;
		return { offset: this.start + end, anchors: kept, ...(back === undefined ? {} : { back }) };
	}

	/** An empty page, the total reached, or a short page (unless the API says more exist). */
	private isLastPage(answer: Page<T>, requested: number, position: ListPosition): boolean {
		const { records, total, limit } = answer;
		if (records.length === 0) return true;
		if (total !== undefined) return position.offset >= total;
		const applied = limit !== undefined && limit > 0 ? Math.min(limit, requested) : requested;
		return records.length < applied;
	}
}

/** Reads a list page by page, handing each record once to `visit`, until its end or a stop. */
export async function readList<T>(
	fetchPage: PageFetcher<T>,
	options: ReadListOptions<T>,
): Promise<ReadListResult> {
	return await new ListReader(fetchPage, options).read();
}

/**
 * Asks for pages until enough records arrived, the answer's `total` is reached, a page comes back
 * short or empty, or the same page comes back twice (an API ignoring the offset): never forever.
 * With `key`, pages overlap and are checked for continuity (see readList).
 */
export async function collectPages<T>(
	fetchPage: PageFetcher<T>,
	max: number,
	pageSize = PAGE_SIZE,
	options: Pick<ReadListOptions<T>, 'key' | 'keptShifting'> = {},
): Promise<T[]> {
	const records: T[] = [];
	await readList(fetchPage, {
		...options,
		pageSize,
		wanted: () => max - records.length,
		visit: (record) => {
			records.push(record);
			return records.length < max;
		},
	});
	return records;
}

/** The message for a list that shifted under every attempt to read it. */
export function listKeptShiftingMessage(
	ctx: IdentomatContext,
	itemIndex?: number,
	action?: string,
) {
	const message = messageAt(
		errorPlace(ctx, itemIndex, action),
		'the list kept changing while it was read',
	);
	return new NodeOperationError(ctx.getNode(), message, {
		itemIndex,
		description:
			'Records were added or removed faster than the list could be read in pages. Run it again in a moment.',
	});
}

/** The records of a paged answer `{offset|start, limit, total, data}`, wherever the paging fields are. */
export function pageOf<T = IDataObject>(result: unknown): Page<T> {
	const body = (typeof result === 'object' && result !== null ? result : {}) as IDataObject;
	const data = Array.isArray(result) ? result : Array.isArray(body.data) ? body.data : [];
	const total = Number(body.total);
	const limit = Number(body.limit);
	return {
		records: data as T[],
		total:
			body.total !== undefined && body.total !== null && Number.isFinite(total) ? total : undefined,
		limit:
			body.limit !== undefined && body.limit !== null && Number.isFinite(limit) ? limit : undefined,
	};
}
