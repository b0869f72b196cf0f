import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { resultOf } from '../transport';
import { unreadableAnswerError } from '../transport/errors';

/**
 * What many operations share: parameter descriptions (same names everywhere, so values survive
 * switching operations) and the readers that validate them.
 */

export interface OperationModule {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]>;
}

export const sessionIdField: INodeProperties = {
	displayName: 'Session ID',
	name: 'sessionId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 47fjzxvvzapi4ztasth3c2ozfucli3l0qx13hisc',
	description: 'The 40-character ID of the session, as returned by Session → Create',
};

export const outputBinaryField: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	required: true,
	default: 'data',
	hint: 'The name of the output binary field to put the file in',
};

export function inputBinaryField(displayName: string, name: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the input binary field containing the image',
		description,
	};
}

export const returnAllField: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

export const limitField: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 50,
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false] } },
};

export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

export function itemLabel(itemIndex: number) {
	return `item ${itemIndex + 1}`;
}

/** A required text parameter, trimmed; empty gets a message naming the parameter and the item. */
export function requiredText(ctx: IExecuteFunctions, itemIndex: number, name: string, displayName: string): string {
	const value = String(ctx.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (!value) {
		throw new NodeOperationError(ctx.getNode(), `"${displayName}" is empty in ${itemLabel(itemIndex)}`, {
			itemIndex,
			description: `Enter a value for "${displayName}", or map it from an earlier node with an expression.`,
		});
	}
	return value;
}

export function getSessionId(ctx: IExecuteFunctions, itemIndex: number): string {
	const sessionId = requiredText(ctx, itemIndex, 'sessionId', 'Session ID');
	if (/\s/.test(sessionId)) {
		throw new NodeOperationError(ctx.getNode(), `"Session ID" in ${itemLabel(itemIndex)} contains spaces`, {
			itemIndex,
			description: 'A session ID is one word of letters and digits, as returned by Session → Create.',
		});
	}
	return sessionId;
}

/** A JSON parameter (flags, steps, members …): accepts objects already parsed, or JSON text. */
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
			throw new NodeOperationError(ctx.getNode(), `"${displayName}" in ${itemLabel(itemIndex)} is not valid JSON`, {
				itemIndex,
				description: `${(error as Error).message}. Write it as JSON ${expect === 'array' ? 'array, e.g. [{"type": "liveness"}]' : 'object, e.g. {"language": "en"}'}.`,
			});
		}
	}
	const isArray = Array.isArray(parsed);
	if ((expect === 'array') !== isArray || typeof parsed !== 'object' || parsed === null) {
		throw new NodeOperationError(
			ctx.getNode(),
			`"${displayName}" in ${itemLabel(itemIndex)} must be a JSON ${expect}`,
			{ itemIndex, description: `It is ${isArray ? 'an array' : typeof parsed}. Write it as a JSON ${expect}.` },
		);
	}
	return parsed as T;
}

/** A date parameter as ISO 8601, or a message naming the parameter and the item. */
export function isoDate(ctx: IExecuteFunctions, itemIndex: number, value: unknown, displayName: string): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	// n8n's date picker gives zone-less local times ("1982-12-12T00:00:00"): read them as UTC so a
	// birthday never moves a day with the server's time zone.
	const text = String(value).trim();
	const zoneless = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text);
	const date = new Date(zoneless ? `${text}Z` : text);
	if (Number.isNaN(date.getTime()) || !realCalendarDay(text)) {
		throw new NodeOperationError(ctx.getNode(), `"${displayName}" in ${itemLabel(itemIndex)} is not a date`, {
			itemIndex,
			description: `"${String(value)}" could not be read as a date. Use ISO 8601, e.g. 1980-01-31 or 2024-05-01T12:00:00Z.`,
		});
	}
	return date.toISOString();
}

/** Whether a leading YYYY-MM-DD names a day that exists (JavaScript reads 2023-02-30 as March 2). */
function realCalendarDay(text: string): boolean {
	const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
	if (!match) return true;
	const [year, month, day] = match.slice(1).map(Number);
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function jsonItem(json: IDataObject): INodeExecutionData {
	return { json };
}

/** A number parameter within bounds, or a message naming the parameter, the item and the range. */
export function numberInRange(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	displayName: string,
	min: number,
	max: number,
): number {
	const raw = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
		throw new NodeOperationError(
			ctx.getNode(),
			`"${displayName}" in ${itemLabel(itemIndex)} must be a number from ${min} to ${max}`,
			{ itemIndex, description: `It is "${String(raw)}". Enter a number from ${min} to ${max}.` },
		);
	}
	return value;
}

/**
 * A list of IDs from a multi-select, or from an expression giving an array or comma-separated text;
 * trimmed, without empties and duplicates.
 */
export function idList(value: unknown): string[] {
	const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : value == null ? [] : [value];
	return [...new Set(parts.map((v) => String(v ?? '').trim()).filter(Boolean))];
}

/** The ID of a created record: Identomat answers `{result: "<id>"}` or `{result: {id: "<id>"}}`. */
export function createdId(ctx: IExecuteFunctions, itemIndex: number, action: string, answer: unknown): string {
	const result = resultOf<unknown>(answer);
	const id = typeof result === 'object' && result !== null ? (result as IDataObject).id : result;
	if ((typeof id === 'string' && id !== '') || typeof id === 'number') return String(id);
	throw unreadableAnswerError({ node: ctx.getNode(), itemIndex, action }, 'it carries no ID of the new record');
}

/** "Put Output File(s) in Field" for operations that may yield several files (`data`, `data_1` …). */
export const outputFilesField: INodeProperties = {
	...outputBinaryField,
	displayName: 'Put Output Files in Field',
	hint: 'The name of the output binary field to put the file in; further files go to <field>_1, <field>_2 …',
};

/** Where several downloaded files go: one item with all of them (default) or one item each. */
export const filesOutputOption: INodeProperties = {
	displayName: 'Output',
	name: 'output',
	type: 'options',
	options: [
		{
			name: 'One Item With All Files',
			value: 'oneItem',
			description: 'One item whose binary fields hold every file: data, data_1, data_2 …',
		},
		{
			name: 'One Item per File',
			value: 'itemPerFile',
			description: 'One item for each file, always in the output field',
		},
	],
	default: 'oneItem',
	description: 'How to output the files when there are several',
};

/** The Options collection of operations that yield several files: `extra` options, then Output. */
export function filesOptions(extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...extra, filesOutputOption],
	};
}

export const firstNameField: INodeProperties = {
	displayName: 'First Name',
	name: 'firstName',
	type: 'string',
	default: '',
	placeholder: 'e.g. John',
};

export const lastNameField: INodeProperties = {
	displayName: 'Last Name',
	name: 'lastName',
	type: 'string',
	default: '',
	placeholder: 'e.g. Doe',
};
