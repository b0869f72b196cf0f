import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { itemLabel } from '../../../shared/transport';
import type { FileOutput } from '../../files/downloads';

/**
 * Readers of parameter values: each trims, checks and, for a bad value, throws a message that
 * names the parameter and the item and says how to fix it.
 */

export { itemLabel } from '../../../shared/transport';

function invalid(ctx: IExecuteFunctions, itemIndex: number, message: string, description: string) {
	return new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
}

/** Optional text, trimmed; undefined when empty. `name` may be a path such as `options.parentSessionId`. */
export function optionalText(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
): string | undefined {
	const value = String(ctx.getNodeParameter(name, itemIndex, '') ?? '').trim();
	return value || undefined;
}

/** Required text, trimmed; empty gets a message naming the parameter and the item. */
export function requiredText(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	displayName: string,
): string {
	const value = optionalText(ctx, itemIndex, name);
	if (!value) {
		throw invalid(
			ctx,
			itemIndex,
			`"${displayName}" is empty in ${itemLabel(itemIndex)}`,
			`Enter a value for "${displayName}", or map it from an earlier node with an expression.`,
		);
	}
	return value;
}

/** What begin/ returns and every session endpoint takes: 40 lowercase letters and digits. */
const SESSION_ID = /^[0-9a-z]{40}$/;

/**
 * The item's Session ID, checked for its shape before any call. A pasted session link (the page
 * a person opens, `…/?session_token=<id>`) gives its `session_token`.
 */
export function getSessionId(ctx: IExecuteFunctions, itemIndex: number): string {
	const value = requiredText(ctx, itemIndex, 'sessionId', 'Session ID');
	const refuse = (message: string, detail: string) =>
		invalid(
			ctx,
			itemIndex,
			`"Session ID" in ${itemLabel(itemIndex)} ${message}`,
			`${detail} A session ID is 40 lowercase letters and digits, e.g. 47fjzxvvzapi4ztasth3c2ozfucli3l0qx13hisc, as returned by Session → Create (field sessionId).`,
		);
	if (/\s/.test(value)) throw refuse('contains spaces', 'Remove the spaces.');
	let sessionId = value;
	if (/^https?:\/\//i.test(value)) {
		const token = linkToken(value);
		if (token === undefined)
			throw refuse(
				'is a link without a session in it',
				'A session link ends in ?session_token=<ID>; this one has none. Enter the session ID itself.',
			);
		sessionId = token;
	}
	if (!SESSION_ID.test(sessionId)) {
		const what =
			sessionId.length === 40
				? 'It has characters other than lowercase letters and digits.'
				: `It has ${sessionId.length} characters.`;
		throw refuse('is not a session ID', what);
	}
	return sessionId;
}

/** The `session_token` of a session link, trimmed; undefined when it has none. */
function linkToken(link: string): string | undefined {
	try {
		return new URL(link).searchParams.get('session_token')?.trim() || undefined;
	} catch {
		return undefined;
	}
}

export interface NumberRule {
	min: number;
	max?: number;
	whole?: boolean;
	/** What a valid value is, ending the message "… must be <expected>", e.g. "a number from 0 to 100". */
	expected: string;
	/** How to fix it, after "It is "<value>".". */
	hint: string;
}

/**
 * A number parameter (text from an expression is read as a number too); undefined when the
 * parameter is empty or absent, a message naming the parameter, the item and the rule when it
 * breaks the rule.
 */
export function optionalNumber(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	displayName: string,
	rule: NumberRule,
): number | undefined {
	const raw = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	if (raw === undefined || raw === null || raw === '') return undefined;
	const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : raw;
	const fits =
		typeof value === 'number' &&
		Number.isFinite(value) &&
		value >= rule.min &&
		(rule.max === undefined || value <= rule.max) &&
		(!rule.whole || Number.isInteger(value));
	if (!fits) {
		throw invalid(
			ctx,
			itemIndex,
			`"${displayName}" in ${itemLabel(itemIndex)} must be ${rule.expected}`,
			`It is "${String(raw)}". ${rule.hint}`,
		);
	}
	return value;
}

/** A required number parameter within bounds (see `optionalNumber`). */
export function numberInRange(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	displayName: string,
	min: number,
	max: number,
): number {
	const rule = {
		min,
		max,
		expected: `a number from ${min} to ${max}`,
		hint: `Enter a number from ${min} to ${max}.`,
	};
	const value = optionalNumber(ctx, itemIndex, name, displayName, rule);
	if (value === undefined) {
		throw invalid(
			ctx,
			itemIndex,
			`"${displayName}" in ${itemLabel(itemIndex)} must be ${rule.expected}`,
			`It is empty. ${rule.hint}`,
		);
	}
	return value;
}

/** A JSON parameter (flags, steps …): accepts objects already parsed, or JSON text. */
export function jsonParameter<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	displayName: string,
	expect: 'object' | 'array',
): T | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			const example =
				expect === 'array'
					? 'array, e.g. [{"type": "liveness"}]'
					: 'object, e.g. {"language": "en"}';
			throw invalid(
				ctx,
				itemIndex,
				`"${displayName}" in ${itemLabel(itemIndex)} is not valid JSON`,
				`${(error as Error).message}. Write it as JSON ${example}.`,
			);
		}
	}
	const isArray = Array.isArray(parsed);
	if ((expect === 'array') !== isArray || typeof parsed !== 'object' || parsed === null) {
		throw invalid(
			ctx,
			itemIndex,
			`"${displayName}" in ${itemLabel(itemIndex)} must be a JSON ${expect}`,
			`It is ${isArray ? 'an array' : typeof parsed}. Write it as a JSON ${expect}.`,
		);
	}
	return parsed as T;
}

/** A date parameter as ISO 8601, or a message naming the parameter and the item. */
export function isoDate(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	displayName: string,
): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	// n8n's date picker gives zone-less local times ("1982-12-12T00:00:00"): read them as UTC so a
	// birthday never moves a day with the server's time zone.
	const text = String(value).trim();
	const zoneless = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text);
	const date = new Date(zoneless ? `${text}Z` : text);
	if (Number.isNaN(date.getTime()) || !realCalendarDay(text)) {
		throw invalid(
			ctx,
			itemIndex,
			`"${displayName}" in ${itemLabel(itemIndex)} is not a date`,
			`"${String(value)}" could not be read as a date. Use ISO 8601, e.g. 1980-01-31 or 2024-05-01T12:00:00Z.`,
		);
	}
	return date.toISOString();
}

/** Whether a leading YYYY-MM-DD names a day that exists (JavaScript reads 2023-02-30 as March 2). */
function realCalendarDay(text: string): boolean {
	const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
	if (!match) return true;
	const [year, month, day] = match.slice(1).map(Number);
	const date = new Date(Date.UTC(year, month - 1, day));
	return (
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
	);
}

/**
 * A list of IDs from a multi-select, or from an expression giving an array or comma-separated text;
 * trimmed, without empties and duplicates.
 */
export function idList(value: unknown): string[] {
	const parts = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(',')
			: value == null
				? []
				: [value];
	return [...new Set(parts.map((v) => String(v ?? '').trim()).filter(Boolean))];
}

/** "Request Options → Timeout (Seconds)" of the item, in milliseconds; undefined when not set. */
export function timeoutOptionMs(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	const seconds = Number(ctx.getNodeParameter('requestOptions.timeout', itemIndex, 0));
	return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/**
 * Where a download operation puts its files: "Put Output File(s) in Field" and, for several
 * files, the Output option (one item with every file, or one item per file).
 */
export function fileOutputOf(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: { keepArchive?: boolean } = {},
): FileOutput {
	const field = String(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '').trim();
	if (!field) {
		throw invalid(
			ctx,
			itemIndex,
			`"Put Output File in Field" is empty in ${itemLabel(itemIndex)}`,
			'Enter the name of the binary field to put the file in, e.g. data.',
		);
	}
	const itemPerFile =
		ctx.getNodeParameter('options.output', itemIndex, 'oneItem') === 'itemPerFile';
	return { field, itemPerFile, ...options };
}
