import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * "Return All / Limit" for every list of Identomat: one pager for the paged endpoints (screening
 * search, monitoring records, blacklist), whatever they call their offset, and a client-side limit
 * for the lists Identomat answers whole (groups, users).
 */

/** Records per request: the reference's own example asks for 100. */
export const PAGE_SIZE = 100;

/** A safety stop for an API that keeps answering full pages: 100,000 records at 100 a page. */
export const MAX_PAGES = 1000;

export interface Page<T> {
	records: T[];
	/** How many records exist in all, when the answer says so. */
	total?: number;
	/** The page size the API applied, when the answer says so (it may be lower than requested). */
	limit?: number;
}

/** Fetches the page of `limit` records starting after `offset` records. */
export type PageFetcher<T> = (offset: number, limit: number) => Promise<Page<T>>;

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

/**
 * Asks for pages until enough records arrived, the answer's `total` is reached, a page comes back
 * short or empty, or the same page comes back twice (an API ignoring the offset): never forever.
 */
export async function collectPages<T>(
	fetchPage: PageFetcher<T>,
	max: number,
	pageSize = PAGE_SIZE,
): Promise<T[]> {
	const records: T[] = [];
	let offset = 0;
	let previous: string | undefined;
	for (let page = 0; page < MAX_PAGES && records.length < max; page++) {
		const requested = Math.min(pageSize, max - records.length);
		const answer = await fetchPage(offset, requested);
		const got = answer.records;
		if (got.length === 0) break;
		const fingerprint = JSON.stringify(got);
		if (fingerprint === previous) break;
		previous = fingerprint;
		records.push(...got.slice(0, max - records.length));
		offset += got.length;
		if (answer.total !== undefined && offset >= answer.total) break;
		// A short page is the last one, unless the API says more exist (it may cap the page size).
		const applied =
			answer.limit !== undefined && answer.limit > 0
				? Math.min(answer.limit, requested)
				: requested;
		if (got.length < applied && answer.total === undefined) break;
	}
	return records;
}

/** Return All / Limit over a paged endpoint: the records wanted by this item. */
export async function paginate<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fetchPage: PageFetcher<T>,
): Promise<T[]> {
	return await collectPages(fetchPage, wantedRecords(ctx, itemIndex).max);
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
