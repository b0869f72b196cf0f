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

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { Identomat } from '../nodes/Identomat/Identomat.node';
import { operationsOf } from './helpers/description';
import { itemWithFile } from './helpers/runner';
import { runOperation, sandboxForFile, type Sandbox } from './helpers/sandbox';

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

const GROUP_ID = '650976e8dc32104b8bb1757e';
const locator = (value: string) => ({ __rl: true, mode: 'id', value });
const finishedSession = (s: Sandbox) => s.createCompletedSession({ activeVideoCall: true }) as string;

/** An input item carrying sandbox images, as an upstream download would. */
const withImages = (files: Record<string, string>) => async () => [
	await itemWithFile(
		{},
		Object.fromEntries(
			Object.entries(files).map(([key, name]) => [key, { data: sb.fixtures[name] as Buffer, fileName: name, mimeType: 'image/jpeg' }]),
		),
	),
];

interface Sample {
	parameters?: (s: Sandbox) => IDataObject;
	items?: () => Promise<INodeExecutionData[]>;
}

const inSession = (extra: IDataObject = {}): Sample => ({ parameters: (s) => ({ sessionId: finishedSession(s), ...extra }) });
const readDocument = (image: string): Sample => ({ items: withImages({ data: image }) });

/** A run of every operation that succeeds on the sandbox: its parameters beyond the defaults, and its input. */
const SAMPLES: Record<string, Sample> = {
	'blacklist/add': { parameters: () => ({ reason: 'Forged passport', firstName: 'Jane', lastName: 'Roe', documentNumber: 'P1234567' }) },
	'blacklist/getMany': { parameters: () => ({ returnAll: true }) },
	'blacklist/remove': { parameters: () => ({ recordId: '682b09e4400b3a00067ebcf7' }) },
	'configuration/get': { parameters: () => ({ sessionConfigId: '62412c096c4b39ba845d4bf2' }) },
	'document/readIdCardFront': readDocument('card-front.jpg'),
	'document/readIdCardBack': readDocument('card-back.jpg'),
	'document/readLicenseFront': readDocument('card-front.jpg'),
	'document/readLicenseBack': readDocument('card-back.jpg'),
	'document/readPassport': readDocument('passport.jpg'),
	'document/readResidenceFront': readDocument('card-front.jpg'),
	'document/readResidenceBack': readDocument('card-back.jpg'),
	'face/compare': { items: withImages({ data: 'card-front.jpg', data_1: 'face.jpg' }) },
	'group/create': { parameters: () => ({ name: 'Fraud Team' }) },
	'group/delete': { parameters: () => ({ groupId: locator(GROUP_ID) }) },
	'group/getMany': { parameters: () => ({ returnAll: true }) },
	'group/update': { parameters: () => ({ groupId: locator(GROUP_ID), updateFields: { name: 'Compliance Team' } }) },
	'screening/addToMonitoring': { parameters: () => ({ fullName: 'Jane Roe' }) },
	'screening/getManyMonitored': { parameters: () => ({ returnAll: true }) },
	'screening/getPerson': { parameters: () => ({ personId: '67137933a2176f0797f1e658' }) },
	'screening/removeFromMonitoring': { parameters: () => ({ monitoringId: '64ad3b14090678e34512eab8' }) },
	'screening/search': { parameters: () => ({ fullName: 'John Doe Smith', scoreThreshold: 80, returnAll: false, limit: 5 }) },
	'session/create': {},
	'session/delete': inSession(),
	'session/exportPdf': inSession(),
	'session/getActivities': inSession(),
	'session/getResult': inSession(),
	'session/getStatistics': inSession(),
	'media/getCardBack': inSession(),
	'media/getDocumentFacePhoto': inSession(),
	'media/getCardFront': inSession(),
	'media/getFace': inSession(),
	'media/getFaceVideo': inSession(),
	'media/getPassport': inSession(),
	'media/getGeneralDocument': inSession({ typeId: 'utility-bill' }),
	'media/getQuestionFile': inSession({ stepKey: 'user-questionnaire-1', questionKey: 'question-1' }),
	'media/getFaceDocument': inSession(),
	'media/getVisualMarkers': inSession(),
	'user/create': { parameters: () => ({ email: 'new.operator@example.com', password: 'Str0ng-Passw0rd!' }) },
	'user/getMany': { parameters: () => ({ returnAll: true }) },
	'videoCall/end': inSession(),
	'videoCall/getRecordings': inSession(),
	'videoCall/getShots': inSession(),
};

/** Every resource/operation the node offers, from its description. */
const operations = () =>
	operationsOf(new Identomat().description).map(({ resource, operation }) => `${resource.value}/${operation.value}`);

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
