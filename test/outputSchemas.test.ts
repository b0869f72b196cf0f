/**
 * The output schemas n8n's editor shows before a node has run ("schema preview": fields to map
 * from the Identomat node without running it first). n8n 2.41.1 serves them for community packages
 * too, from `<node dir>/__schema__/v<version>/<resource>/<operation>.json` (GET
 * /schemas/<node type>/<version>/<resource>/<operation>.json, resolved next to the node's file), as
 * n8n-nodes-base ships them.
 *
 * They are not hand-written: this file runs every operation against the sandbox (default settings)
 * and derives the JSON schema of what came out. In the test suite it checks that the committed
 * files still match; `npm run output-schemas` writes them (OUTPUT_SCHEMAS=write).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { operationKeys, samplesFor } from './helpers/samples';
import { runOperation, sandboxForFile } from './helpers/sandbox';

const SCHEMA_DIR = path.join(__dirname, '../nodes/Identomat/__schema__/v1.0.0');
const WRITE = process.env.OUTPUT_SCHEMAS === 'write';

const sb = sandboxForFile();

interface JsonSchema {
	type: string | string[];
	properties?: Record<string, JsonSchema>;
	items?: JsonSchema;
}

/** The JSON schema of one value, as n8n's editor reads schemas (types, properties, items). */
function schemaOf(value: unknown): JsonSchema {
	if (value === null) return { type: 'null' };
	if (Array.isArray(value)) return value.length ? { type: 'array', items: value.map(schemaOf).reduce(merge) } : { type: 'array' };
	if (typeof value === 'object') {
		return { type: 'object', properties: Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, schemaOf(v)])) };
	}
	if (typeof value === 'number') return { type: Number.isInteger(value) ? 'integer' : 'number' };
	return { type: typeof value };
}

/** One schema for two values of the same field (items of a list, records with optional fields). */
function merge(a: JsonSchema, b: JsonSchema): JsonSchema {
	if (a.type === 'null') return b;
	if (b.type === 'null') return a;
	if (a.type === 'object' && b.type === 'object') {
		const properties = { ...a.properties };
		for (const [key, schema] of Object.entries(b.properties ?? {})) properties[key] = properties[key] ? merge(properties[key], schema) : schema;
		return { type: 'object', properties };
	}
	if (a.type === 'array' && b.type === 'array') {
		const items = a.items && b.items ? merge(a.items, b.items) : (a.items ?? b.items);
		return items ? { type: 'array', items } : { type: 'array' };
	}
	if (JSON.stringify(a.type) === JSON.stringify(b.type)) return a;
	const numeric = new Set(['integer', 'number']);
	if (numeric.has(a.type as string) && numeric.has(b.type as string)) return { type: 'number' };
	return { type: [...new Set([a.type, b.type].flat())].sort() };
}

const SAMPLES = samplesFor(sb);
const operations = operationKeys;

test('every operation has a sample run and a schema file, and no file is left for an operation that is gone', () => {
	expect(Object.keys(SAMPLES).sort()).toEqual(operations().sort());
	if (WRITE) return;
	const files = fs.readdirSync(SCHEMA_DIR).flatMap((resource) =>
		fs.readdirSync(path.join(SCHEMA_DIR, resource)).map((file) => `${resource}/${file.replace(/\.json$/, '')}`),
	);
	expect(files.sort()).toEqual(operations().sort());
});

test.each(operations())('%s: the committed schema is that of what the operation returns', async (key) => {
	const [resource, operation] = key.split('/');
	const sample = SAMPLES[key];
	const [output] = await runOperation(sb, resource, operation, sample.parameters?.(sb), { input: await sample.items?.() });
	expect(output.length).toBeGreaterThan(0);
	const schema = output.map((item) => schemaOf(item.json)).reduce(merge);
	expect(schema.type).toBe('object');
	expect(Object.keys(schema.properties ?? {}).length).toBeGreaterThan(0);
	const file = path.join(SCHEMA_DIR, resource, `${operation}.json`);
	if (WRITE) {
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, `${JSON.stringify(schema, null, '\t')}\n`);
	} else {
		expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(schema);
	}
});
