import type { IDataObject } from 'n8n-workflow';

import { errorPlace, type IdentomatContext, unreadableAnswerError } from '../transport';
import { callEndpoint, callEndpointDated, resultOf } from './call';
import type { ListEndpoint } from './endpoints';
import { type Page, type PageFetcher, pageOf } from './pagination';

/**
 * The list endpoints the action node's Get Many operations and the trigger both read: one
 * function per endpoint, each giving a page fetcher for the shared pager (pagination.ts).
 */

export interface MonitoringRecord {
	id: string;
	fullName?: string;
	lastUpdatedDate?: string;
	[key: string]: unknown;
}

export interface BlacklistRecord {
	id: string;
	[key: string]: unknown;
}

export interface ListCall {
	/** Shown at the start of messages, e.g. "Identomat Trigger → …"; in an action node run the router has set it. */
	action?: string;
	itemIndex?: number;
}

async function listPage<T>(
	ctx: IdentomatContext,
	call: ListCall,
	name: 'monitoringRecords' | 'blacklistRecords',
	fields: IDataObject,
): Promise<Page<T>> {
	const { answer, serverDate } = await callEndpointDated(ctx, name, { fields, ...call });
	const result = resultOf<{ data?: unknown }>(answer);
	if (typeof result !== 'object' || result === null || !Array.isArray(result.data)) {
		throw unreadableAnswerError(
			errorPlace(ctx, call.itemIndex, call.action),
			'the list of records is missing',
		);
	}
	return { ...pageOf<T>(result), serverDate };
}

/** Monitoring records: paged with start/limit; with `date`, only records changed after it. */
export function monitoringRecords(
	ctx: IdentomatContext,
	call: ListCall & { date?: string },
): PageFetcher<MonitoringRecord> {
	return async (start, limit) => {
		const fields: IDataObject = { start, limit };
		if (call.date !== undefined) fields.date = call.date;
		return await listPage<MonitoringRecord>(ctx, call, 'monitoringRecords', fields);
	};
}

/** Blacklist records: paging goes inside `query` (docs/identomat-api.md, erratum 5); the answer has it at top level. */
export function blacklistRecords(
	ctx: IdentomatContext,
	call: ListCall,
): PageFetcher<BlacklistRecord> {
	return async (offset, limit) =>
		await listPage<BlacklistRecord>(ctx, call, 'blacklistRecords', {
			query: { offset, limit },
		});
}

export interface ScreeningQuery extends IDataObject {
	fullName: string;
	scoreThreshold: number;
	birthdayTimeFrom?: string;
}

/**
 * Screening search: the matches of one query, paged with offset/limit. Identomat answers
 * `{"result": [...]}`; anything else is refused as unreadable, never taken for "no matches".
 */
export function screeningMatches(
	ctx: IdentomatContext,
	call: ListCall & { query: ScreeningQuery },
): PageFetcher<IDataObject> {
	return async (offset, limit) => {
		const answer = await callEndpoint(ctx, 'searchScreening', {
			fields: { query: call.query, offset, limit },
			itemIndex: call.itemIndex,
			action: call.action,
		});
		const result = resultOf<unknown>(answer);
		if (!Array.isArray(result) && !Array.isArray((result as { data?: unknown } | null)?.data)) {
			throw unreadableAnswerError(
				errorPlace(ctx, call.itemIndex, call.action),
				'the list of matches is missing',
			);
		}
		return pageOf<IDataObject>(result);
	};
}

/** A time stamp as milliseconds, NaN when missing or unreadable. */
export function stampOf(record: { lastUpdatedDate?: unknown } | undefined): number {
	const text = record?.lastUpdatedDate;
	return typeof text === 'string' ? Date.parse(text) : Number.NaN;
}

/** A monitoring record's version: its ID and its last update (the same text in any ISO spelling). */
export function monitoringVersion(record: MonitoringRecord | undefined): string | undefined {
	if (typeof record?.id !== 'string') return undefined;
	const stamp = stampOf(record);
	return `${record.id}|${Number.isFinite(stamp) ? stamp : ''}`;
}

/** A blacklist record's identity (records do not change). */
export function blacklistKey(record: BlacklistRecord | undefined): string | undefined {
	return typeof record?.id === 'string' ? record.id : undefined;
}

export interface Group extends IDataObject {
	id: string;
	name: string;
	members?: Array<{ username: string }>;
}

export interface User extends IDataObject {
	id: string;
	username: string;
	roles?: string[];
}

/** A list Identomat answers whole, without paging (groups, users). */
export type WholeList<T> = (ctx: IdentomatContext, call?: ListCall) => Promise<T[]>;

/**
 * A whole list, refused as unreadable when the answer holds none (never taken for an empty list,
 * as the paged lists and the matches are not).
 */
function wholeList<T>(name: ListEndpoint): WholeList<T> {
	return async (ctx, call = {}) => {
		const records = resultOf<unknown>(await callEndpoint(ctx, name, call));
		if (!Array.isArray(records))
			throw unreadableAnswerError(
				errorPlace(ctx, call.itemIndex, call.action),
				'the list is missing',
			);
		return records as T[];
	};
}

/** Every group of the company. Also feeds the group picker. */
export const groups = wholeList<Group>('groups');

/** Every user of the company. Also feeds the member picker. */
export const users = wholeList<User>('users');
