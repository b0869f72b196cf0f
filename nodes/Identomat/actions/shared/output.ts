import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { idList, itemLabel } from './parameters';

/**
 * The Output choice of operations whose answer has many fields (n8n's guideline for nodes that
 * agents use as tools): Simplified (the default: the fields a flow or a model usually needs), Raw
 * (everything Identomat sent), or Selected Fields (the listed fields of the raw answer).
 */
export function outputProperties(simplified: string): INodeProperties[] {
	return [
		{
			displayName: 'Output',
			name: 'output',
			type: 'options',
			options: [
				{ name: 'Simplified', value: 'simplified', description: simplified },
				{ name: 'Raw', value: 'raw', description: 'Everything Identomat returned' },
				{
					name: 'Selected Fields',
					value: 'selectedFields',
					description: 'Only the fields you list, from the raw answer',
				},
			],
			default: 'simplified',
		},
		{
			displayName: 'Fields',
			name: 'fields',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. result, person.first_name, person.document_number',
			description:
				'Comma-separated names of the fields to return, as they appear in the Raw output; use dots for nested fields. Fields the answer lacks come out as null.',
			displayOptions: { show: { output: ['selectedFields'] } },
		},
	];
}

/** Names that lead into JavaScript's object machinery rather than into Identomat's answer. */
const UNSAFE_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

const hasOwn = (value: object, key: string) => Object.prototype.hasOwnProperty.call(value, key);

function valueAt(source: IDataObject, path: string[]): unknown {
	let value: unknown = source;
	for (const key of path) {
		// Own properties only: an inherited one (e.g. `constructor`) is not a field of the answer.
		if (typeof value !== 'object' || value === null || !hasOwn(value, key)) return null;
		value = (value as IDataObject)[key];
	}
	return value === undefined ? null : value;
}

/** Defines an own property, so even a key named `__proto__` cannot reach a prototype. */
function defineField(target: IDataObject, key: string, value: unknown) {
	Object.defineProperty(target, key, {
		value,
		enumerable: true,
		writable: true,
		configurable: true,
	});
}

function setAt(target: IDataObject, path: string[], value: unknown) {
	let node = target;
	for (const key of path.slice(0, -1)) {
		const next = hasOwn(node, key) ? node[key] : undefined;
		if (typeof next === 'object' && next !== null) {
			node = next as IDataObject;
		} else {
			const created: IDataObject = {};
			defineField(node, key, created);
			node = created;
		}
	}
	defineField(node, path[path.length - 1], value);
}

/** A field's path (`person.first_name` → `['person', 'first_name']`); its first unsafe segment, if any. */
function fieldPath(field: string): { path: string[]; unsafe?: string } {
	const path = field.split('.').filter(Boolean);
	return { path, unsafe: path.find((key) => UNSAFE_SEGMENTS.has(key)) };
}

/**
 * The listed fields of `source`, nested as they are there (`person.first_name` →
 * `{ person: { first_name } }`). Built from own properties only; shapeOutput refuses unsafe names
 * before this runs.
 */
export function selectFields(source: IDataObject, fields: string[]): IDataObject {
	const out: IDataObject = {};
	for (const field of fields) {
		const { path } = fieldPath(field);
		if (path.length) setAt(out, path, valueAt(source, path));
	}
	return out;
}

/**
 * The item's JSON as its Output parameter asks: `simplified()`, the `raw` answer, or the selected
 * fields of it (`always` lists fields kept in any case, e.g. the session ID).
 */
export function shapeOutput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	raw: IDataObject,
	simplified: () => IDataObject,
	always: string[] = [],
): IDataObject {
	const output = ctx.getNodeParameter('output', itemIndex, 'simplified') as string;
	if (output === 'simplified') return simplified();
	if (output === 'raw') return raw;
	if (output === 'selectedFields') {
		const fields = idList(ctx.getNodeParameter('fields', itemIndex, ''));
		if (fields.length === 0) {
			throw new NodeOperationError(ctx.getNode(), `"Fields" is empty in ${itemLabel(itemIndex)}`, {
				itemIndex,
				description:
					'List the fields to return, separated by commas, e.g. result, person.first_name. The Raw output shows every field there is.',
			});
		}
		for (const field of fields) {
			const { unsafe } = fieldPath(field);
			if (unsafe) {
				throw new NodeOperationError(
					ctx.getNode(),
					`"Fields" in ${itemLabel(itemIndex)} names "${field}": "${unsafe}" cannot be part of a field name`,
					{
						itemIndex,
						description:
							'__proto__, prototype and constructor reach into how objects work, not into the answer. List fields as the Raw output shows them, e.g. result, person.first_name.',
					},
				);
			}
		}
		return selectFields(raw, [...always.filter((f) => !fields.includes(f)), ...fields]);
	}
	throw new NodeOperationError(
		ctx.getNode(),
		`"Output" in ${itemLabel(itemIndex)} is "${output}", which is not a choice`,
		{
			itemIndex,
			description:
				'Choose Simplified, Raw or Selected Fields (values: simplified, raw, selectedFields).',
		},
	);
}
