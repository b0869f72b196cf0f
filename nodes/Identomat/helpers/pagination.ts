import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { errorPlace, type IdentomatContext } from '../transport';

/**
 * The one pager of both nodes: "Return All / Limit" of the action node and every read of the
 * trigger go through `readList`, whatever the endpoint calls its offset; lists Identomat answers
 * whole (groups, users) get a client-side limit.
 *
 * Reading by position is fragile: a record removed before the current position shifts the rest
 * back, and the record crossing the page boundary would never be read. So, for lists whose
 * records have a key, every page after the first starts a few records early (the overlap) and
 * must contain one of the last records read (the anchors): the new records are the ones after
 * it. An anchor found earlier than expected means the list shifted back, which the overlap
 * absorbs; no anchor in the page means it shifted further, and the read steps back a page. A
 * read that cannot find its place at all reads again from where it began instead of guessing
 * (records handed out already are not handed out twice), a bounded number of times.
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

function lastIndexOfAny<T>(
	records: T[],
	anchors: Set<string>,
	key: (record: T) => string | undefined,
): number {
	for (let i = records.length - 1; i >= 0; i--) {
		const k = key(records[i]);
		if (k !== undefined && anchors.has(k)) return i;
	}
	return -1;
}

/** Reads a list page by page, handing each record once to `visit`, until its end or a stop. */
export async function readList<T>(
	fetchPage: PageFetcher<T>,
	options: ReadListOptions<T>,
): Promise<ReadListResult> {
	const { key, pageSize, visit } = options;
	const overlap = key ? Math.max(1, Math.min(options.overlap ?? PAGE_OVERLAP, pageSize - 1)) : 0;
	const wanted = options.wanted ?? (() => Infinity);
	const begin: ListPosition = {
		offset: options.from?.offset ?? 0,
		anchors: key ? (options.from?.anchors ?? []).slice(-overlap) : [],
		back: options.from?.back,
	};
	const handed = new Set<string>();
	let offset = 0;
	let anchors: string[] = [];
	let start = 0;
	let restarts = 0;
	/**
	 * After starting over, the read goes again over records it handed out already; a position in
	 * there would make the next read hand them out again, so no stop is taken until a record is
	 * new (in a list that only appends, every record handed out before comes ahead of it).
	 */
	let goingOver = false;
	let previous: string | undefined;
	/** The longest page Identomat answered in this read, and the size it caps pages to, once seen. */
	let widest = 0;
	let cap = begin.back === undefined ? Infinity : 2 * begin.back;
	/** Reads on from `position`, starting a few records early. */
	const goTo = (position: ListPosition) => {
		({ offset, anchors } = position);
		start = Math.max(0, offset - Math.min(anchors.length, position.back ?? overlap));
	};
	const restart = (position: ListPosition) => {
		if (++restarts > MAX_RESTARTS) throw options.keptShifting?.() ?? new ListKeptShiftingError();
		goTo(position);
		previous = undefined;
		goingOver = handed.size > 0;
	};
	/** The position after the first `end` records of a page read from `start`. */
	const after = (records: T[], end: number): ListPosition => {
		if (!key) return { offset: start + end, anchors: [] };
		const read = records
			.slice(0, end)
			.map(key)
			.filter((k): k is string => k !== undefined);
		const inPage = new Set(read);
		const kept = [...anchors.filter((k) => !inPage.has(k)), ...read].slice(-overlap);
		// At most half a page is read again where Identomat answers fewer records than asked.
		const back = Number.isFinite(cap) ? Math.max(1, Math.floor(cap / 2)) : undefined;
		return { offset: start + end, anchors: kept, ...(back === undefined ? {} : { back }) };
	};

	goTo(begin);
	for (let page = 0; page < MAX_PAGES; page++) {
		// A page brings up to pageSize records not read yet, plus the ones read again.
		const again = offset - start;
		const requested = Math.max(
			1,
			Math.min(pageSize + overlap, again + Math.min(pageSize, wanted())),
		);
		const answer = await fetchPage(start, requested);
		const records = answer.records;
		widest = Math.max(widest, records.length);
		const short = records.length < requested;
		if (
			short &&
			((answer.total ?? 0) > start + records.length || (answer.limit ?? Infinity) < requested)
		) {
			cap = Math.min(cap, records.length);
		}
		let first = 0;
		if (anchors.length && key) {
			const at = lastIndexOfAny(records, new Set(anchors), key);
			if (at < 0 && start > 0) {
				// Shifted back further than the overlap: look a page earlier (pages still overlap).
				start = Math.max(0, start - Math.max(1, Math.min(pageSize, widest) - 1));
				previous = undefined;
				continue;
			}
			if (at < 0) {
				// None of the anchors is anywhere: read again from where this read began, or, when
				// those anchors are gone too, from the list's start (or say so).
				if (anchors !== begin.anchors) restart(begin);
				else if (options.restartIfLost) restart({ offset: 0, anchors: [] });
				else return { done: false, lost: true, position: begin };
				continue;
			}
			first = at + 1;
		}
		// An API that ignores the offset answers the same page again: that is the end. (With keys
		// the overlap check does this: a list that shifted forward may repeat a page legitimately.)
		const fingerprint = key ? undefined : JSON.stringify(records);
		if (records.length && fingerprint !== undefined && fingerprint === previous) {
			return { done: true, position: { offset, anchors } };
		}
		previous = fingerprint;

		for (let i = first; i < records.length; i++) {
			const k = key?.(records[i]);
			if (k !== undefined) {
				if (handed.has(k)) continue;
				handed.add(k);
				goingOver = false;
			}
			if (!(await visit(records[i]))) {
				return { done: false, position: after(records, i + 1) };
			}
		}
		const position = after(records, records.length);
		if (records.length === 0) return { done: true, position };
		if (answer.total !== undefined && position.offset >= answer.total)
			return { done: true, position };
		// A short page is the last one, unless the API says more exist (it may cap the page size).
		const applied =
			answer.limit !== undefined && answer.limit > 0
				? Math.min(answer.limit, requested)
				: requested;
		if (records.length < applied && answer.total === undefined) return { done: true, position };
		if (wanted() <= 0 || (!goingOver && options.stopAfterPage?.()))
			return { done: false, position };
		goTo(position);
	}
	return { done: false, position: { offset, anchors } };
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

export interface Wanted {
	returnAll: boolean;
	/** The number of records wanted; Infinity with Return All. */
	max: number;
}

/** Reads "Return All" and "Limit" of an item, with a clear message for a limit that is no count. */
export function wantedRecords(ctx: IExecuteFunctions, itemIndex: number): Wanted {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	if (returnAll) return { returnAll, max: Infinity };
	const limit = Number(ctx.getNodeParameter('limit', itemIndex, 50));
	if (!Number.isInteger(limit) || limit < 1) {
		throw new NodeOperationError(
			ctx.getNode(),
			`"Limit" in item ${itemIndex + 1} must be a whole number of at least 1`,
			{
				itemIndex,
				description: `It is "${String(ctx.getNodeParameter('limit', itemIndex, ''))}". Enter how many results to return, or switch on "Return All".`,
			},
		);
	}
	return { returnAll, max: limit };
}

/** The message for a list that shifted under every attempt to read it. */
export function listKeptShiftingMessage(
	ctx: IdentomatContext,
	itemIndex?: number,
	action?: string,
) {
	const place = errorPlace(ctx, itemIndex, action);
	const prefix = place.action ? `${place.action}: the` : 'The';
	return new NodeOperationError(ctx.getNode(), `${prefix} list kept changing while it was read`, {
		itemIndex,
		description:
			'Records were added or removed faster than the list could be read in pages. Run it again in a moment.',
	});
}

/** Return All / Limit over a paged endpoint: the records wanted by this item. */
export async function paginate<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fetchPage: PageFetcher<T>,
	key?: (record: T) => string | undefined,
): Promise<T[]> {
	return await collectPages(fetchPage, wantedRecords(ctx, itemIndex).max, PAGE_SIZE, {
		key,
		keptShifting: () => listKeptShiftingMessage(ctx, itemIndex),
	});
}

/** Return All / Limit over a list Identomat answers whole. */
export function limitRecords<T>(ctx: IExecuteFunctions, itemIndex: number, records: T[]): T[] {
	const { max } = wantedRecords(ctx, itemIndex);
	return Number.isFinite(max) ? records.slice(0, max) : records;
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
