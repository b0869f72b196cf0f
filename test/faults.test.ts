/**
 * Fault and security suite: every operation kind (JSON read, JSON write, buffered file, streamed
 * video, data URI, archive, upload) × every fault the sandbox injects. Each ends in the exact
 * message of nodes/shared/transport/errors.ts; reads recover from a transient fault; writes are never sent
 * twice; with Continue On Fail the other items complete and the failed one is paired to its input.
 * Across the whole suite, the company key, the HMAC secret and the personal data sent (names,
 * birthday, personal number, the uploaded image's bytes in base64) never appear in an output item,
 * an error (message, description, JSON, toJSON()) or a log line.
 *
 * The trigger under faults (server errors and restarts between polls, thousands of updates, no
 * duplicate and no loss) is test/triggers/poll.test.ts; single transport faults outside the matrix
 * (every error code, the tampered-answer proxy, nothing listening) are test/transport.test.ts.
 */
import path from 'node:path';

import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { LoggerProxy } from 'n8n-workflow';

import { startTamperingProxy } from './helpers/downloads';
import { itemWithFile, runNode, useBinaryMode } from '../harness/runner';
import { credentialsOf, requestsTo, type Sandbox, sandboxForFile } from './helpers/sandbox';

// Backoff waits (250 ms … and Retry-After) shortened: the retries themselves are what is counted.
jest.mock('n8n-workflow', () => jest.requireActual('./helpers/backoff').withShortBackoff());

const COMPANY_KEY = 'ck-faults-7f3a9c1e5b2d';
const SECRET = 'hmac-faults-secret-4e8b0d2a';
const PERSON = { first: 'Quirinus', last: 'Vandermeulen-Oyelaran', personalNumber: '39105051234', birthday: '1971-03-04' };

let fixtureImage: Buffer;

/** Everything that left the node: outputs, errors, log lines. Scanned for secrets at the end. */
const seen: string[] = [];
const counts = { matrix: 0, recoveries: 0, continueOnFail: 0, hmac: 0, badInput: 0 };

function record(value: unknown) {
	seen.push(typeof value === 'string' ? value : JSON.stringify(value) ?? String(value));
}

function recordError(error: unknown) {
	const e = error as Error & { description?: string; toJSON?: () => unknown; context?: unknown };
	record(e.message);
	record(String(e.description ?? ''));
	record(String(e.stack ?? ''));
	record(JSON.stringify(e));
	record(JSON.stringify(e.toJSON?.() ?? null));
	record(JSON.stringify(e.context ?? null));
}

function recordOutput(out: INodeExecutionData[][]) {
	for (const item of out.flat()) {
		// Screening → Search hands back the search it was given (the name as the workflow entered
		// it, by design): that is the user's own input, not a leak. Everything else is scanned.
		const { search: _given, ...json } = item.json;
		record({ json, binary: item.binary, pairedItem: item.pairedItem });
	}
}

// Logs: n8n-core's logger (its own copy of @n8n/backend-common), n8n-workflow's LoggerProxy, the console.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const backendCommon = require(
	require.resolve('@n8n/backend-common', { paths: [path.dirname(require.resolve('n8n-core'))] }),
) as { Logger: { prototype: Record<string, unknown> } };
const logSpies: jest.SpyInstance[] = [];
beforeAll(() => {
	const capture = (...args: unknown[]) => record(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
	LoggerProxy.init({ debug: capture, info: capture, warn: capture, error: capture } as never);
	for (const method of ['log', 'error', 'warn', 'info', 'debug'] as const) {
		if (typeof backendCommon.Logger.prototype[method] === 'function') {
			logSpies.push(jest.spyOn(backendCommon.Logger.prototype as never, method as never).mockImplementation(capture as never));
		}
		logSpies.push(jest.spyOn(console, method).mockImplementation(capture));
	}
});
afterAll(() => logSpies.forEach((spy) => spy.mockRestore()));

const sb = sandboxForFile({ companyKey: COMPANY_KEY, videoBytes: 256 * 1024, recordingBytes: 64 * 1024, recordingCount: 2 });
const hs = sandboxForFile({ companyKey: COMPANY_KEY, secretKey: SECRET, videoBytes: 64 * 1024, recordingBytes: 16 * 1024, recordingCount: 2 });
beforeAll(async () => {
	fixtureImage = sb.fixtures['card-front.jpg'];
	await useBinaryMode('filesystem');
});

interface Kind {
	name: string;
	path: string;
	readOnly: boolean;
	action: string;
	parameters: IDataObject;
	/** Input items for `count` items on this sandbox (sessions made, files stored). */
	items: (s: Sandbox, count: number) => Promise<INodeExecutionData[]>;
	/** Checks a successful output item. */
	ok: (item: INodeExecutionData) => void;
	/** What a file or answer of this kind is called in "could not be read" messages. */
	specific?: string[];
	/** A file download (its answer may take long), not a data answer. */
	file?: true;
}

let people = 0;
const sessionItems = async (s: Sandbox, count: number) =>
	Array.from({ length: count }, () => ({ json: { id: s.createCompletedSession({ result: 'approved' }) } }));
const withSession = { sessionId: '={{ $json.id }}' };

const KINDS: Kind[] = [
	{
		name: 'JSON read (Session → Get Result)',
		path: 'result/',
		readOnly: true,
		action: 'Session → Get Result',
		parameters: { resource: 'session', operation: 'getResult', ...withSession, output: 'simplified' },
		items: sessionItems,
		ok: (item) => expect(item.json.result).toBe('approved'),
	},
	{
		name: 'JSON write with personal data (Blacklist → Add)',
		path: 'add-blacklist-record',
		readOnly: false,
		action: 'Blacklist → Add',
		parameters: {
			resource: 'blacklist',
			operation: 'add',
			reason: 'fraud',
			firstName: '={{ $json.first }}',
			lastName: PERSON.last,
			personalNumber: '={{ $json.pn }}',
			birthday: PERSON.birthday,
		},
		// a new person each time: the same one twice is "already exists"
		items: async (_s, count) => Array.from({ length: count }, () => ({ json: { first: `${PERSON.first}${++people}`, pn: `${PERSON.personalNumber}-${people}` } })),
		ok: (item) => expect(item.json.id).toEqual(expect.any(String)),
	},
	{
		name: 'binary out, buffered (Session Media → Get Document Front)',
		file: true,
		path: 'result/card-front/',
		readOnly: true,
		action: 'Session Media → Get Document Front',
		parameters: { resource: 'media', operation: 'getCardFront', ...withSession },
		items: sessionItems,
		ok: (item) => expect(item.binary?.data?.mimeType).toBe('image/jpeg'),
	},
	{
		name: 'binary out, streamed (Session Media → Get Liveness Video)',
		file: true,
		path: 'result/face-video/',
		readOnly: true,
		action: 'Session Media → Get Liveness Video',
		parameters: { resource: 'media', operation: 'getFaceVideo', ...withSession },
		items: sessionItems,
		ok: (item) => expect(item.binary?.data?.mimeType).toBe('video/webm'),
	},
	{
		name: 'data URI (Session Media → Get Document Face Photo)',
		path: 'get-session-main-document-face-photo',
		readOnly: true,
		action: 'Session Media → Get Document Face Photo',
		parameters: { resource: 'media', operation: 'getDocumentFacePhoto', ...withSession },
		items: sessionItems,
		ok: (item) => expect(item.binary?.data?.mimeType).toBe('image/jpeg'),
		specific: ['malformedDataUri'],
	},
	{
		name: 'archive (Video Call → Get Recordings)',
		file: true,
		path: 'get-video-call-videos',
		readOnly: true,
		action: 'Video Call → Get Recordings',
		parameters: { resource: 'videoCall', operation: 'getRecordings', ...withSession },
		items: sessionItems,
		ok: (item) => expect(item.json.fileCount).toBe(2),
		specific: ['malformedArchive'],
	},
	{
		name: 'upload (Document → Read Passport)',
		path: 'passport/',
		readOnly: true,
		action: 'Document → Read Passport',
		parameters: { resource: 'document', operation: 'readPassport', binaryPropertyName: 'data' },
		items: async (_s, count) => {
			const item = await itemWithFile({}, { data: { data: fixtureImage, fileName: 'passport.jpg', mimeType: 'image/jpeg' } });
			return Array.from({ length: count }, () => ({ json: {}, binary: { ...item.binary } }));
		},
		ok: (item) => expect(item.json.documentNumber).toEqual(expect.any(String)),
	},
];

interface Fault {
	name: string;
	fault: IDataObject;
	transient: boolean;
	/** Only for these operation kinds (the content faults). */
	only?: string;
	/** Short transport timeout, for the fault that never answers. */
	timeout?: boolean;
	message: (kind: Kind) => string;
}

const FAULTS: Fault[] = [
	{ name: 'HTTP 500', fault: { kind: 'status', status: 500 }, transient: false, message: (k) => `${k.action}: Identomat is not available right now: it answered (HTTP 500)` },
	{ name: 'HTTP 503', fault: { kind: 'status', status: 503 }, transient: true, message: (k) => `${k.action}: Identomat is not available right now: it answered (HTTP 503)` },
	{
		name: 'HTML error page (502)',
		fault: { kind: 'html', status: 502 },
		transient: true,
		message: (k) => `${k.action}: Identomat is not available right now: it answered with a web page instead of data (HTTP 502)`,
	},
	{ name: '429 with Retry-After', fault: { kind: 'rateLimit', retryAfter: 1 }, transient: true, message: (k) => `${k.action}: Identomat is receiving too many requests right now (HTTP 429)` },
	{ name: 'connection reset', fault: { kind: 'reset' }, transient: true, message: (k) => `${k.action}: The connection to Identomat was cut off before an answer arrived` },
	{
		name: 'no answer (timeout)',
		fault: { kind: 'timeout' },
		transient: true,
		timeout: true,
		message: (k) => `${k.action}: ${k.file ? 'Identomat did not answer in time' : 'Identomat is not answering'}`,
	},
	{
		name: 'truncated body',
		fault: { kind: 'truncate' },
		transient: true,
		message: (k) => `${k.action}: The answer from Identomat was cut off before it was complete`,
	},
	{
		name: 'malformed data URI (bad base64)',
		fault: { kind: 'malformedDataUri', variant: 'badBase64' },
		transient: false,
		only: 'malformedDataUri',
		message: (k) => `${k.action}: Identomat's answer could not be read: the document face photo is not a readable base64 data URI`,
	},
	{
		name: 'malformed data URI (no comma)',
		fault: { kind: 'malformedDataUri', variant: 'noComma' },
		transient: false,
		only: 'malformedDataUri',
		message: (k) => `${k.action}: Identomat's answer could not be read: the document face photo is not a readable base64 data URI`,
	},
	{
		name: 'malformed archive (cut short)',
		fault: { kind: 'malformedArchive', variant: 'short' },
		transient: false,
		only: 'malformedArchive',
		message: (k) => `${k.action}: Identomat's answer could not be read: the recordings archive is damaged (the archive is cut off inside a file)`,
	},
	{
		name: 'malformed archive (bad checksum)',
		fault: { kind: 'malformedArchive', variant: 'checksum' },
		transient: false,
		only: 'malformedArchive',
		message: (k) => `${k.action}: Identomat's answer could not be read: the recordings archive is damaged (a header checksum is wrong)`,
	},
	{
		name: 'error-code body (unknown code)',
		fault: { kind: 'errorCode', code: 'internal-error' },
		transient: false,
		message: (k) => `${k.action}: Identomat refused the request (code "internal-error")`,
	},
	{ name: 'error-code body (invalid-access)', fault: { kind: 'errorCode', code: 'invalid-access' }, transient: false, message: (k) => `${k.action}: This company key may not access that session or feature` },
	{ name: 'bare error string', fault: { kind: 'bareString', code: 'COMPANY_KEY_INVALID' }, transient: false, message: (k) => `${k.action}: Identomat did not accept the company key` },
	{
		name: 'redirect (not followed)',
		fault: { kind: 'redirect', status: 302, location: 'http://127.0.0.1:9/login?next=1' },
		transient: false,
		message: (k) => `${k.action}: Identomat answered with a redirect to http://127.0.0.1:9/login (HTTP 302)`,
	},
];

async function run(kind: Kind, items: INodeExecutionData[], opts: { continueOnFail?: boolean; timeout?: boolean; s?: Sandbox; creds?: ICredentialDataDecryptedObject } = {}) {
	const out = await runNode({
		parameters: { ...kind.parameters, requestOptions: opts.timeout ? { timeout: 0.4 } : {} },
		credentials: opts.creds ?? credentialsOf(opts.s ?? sb),
		items,
		continueOnFail: opts.continueOnFail,
	});
	recordOutput(out);
	return out[0];
}

async function failure(promise: Promise<unknown>) {
	try {
		await promise;
	} catch (error) {
		recordError(error);
		return error as Error & { description?: string; context?: IDataObject };
	}
	throw new Error('expected the run to fail');
}

describe.each(KINDS)('$name', (kind) => {
	const faults = FAULTS.filter((f) => !f.only || kind.specific?.includes(f.only));

	test.each(faults)('$name', async (fault) => {
		const attempts = !kind.readOnly || !fault.transient ? 1 : 4;

		// 1. Persistent: one item, the exact message, as many requests as allowed (writes: one).
		sb.reset();
		sb.faults.add({ path: kind.path, ...fault.fault, times: attempts });
		const error = await failure(run(kind, await kind.items(sb, 1), { timeout: fault.timeout }));
		expect(error.message).toBe(fault.message(kind));
		expect(error.description).toEqual(expect.any(String));
		expect(error.context?.itemIndex).toBe(0);
		expect(requestsTo(sb, kind.path)).toHaveLength(attempts);
		counts.matrix++;

		// 2. Transient, once: a read recovers; a write is not sent again.
		if (fault.transient) {
			sb.reset();
			sb.faults.add({ path: kind.path, ...fault.fault, times: 1 });
			const items = await kind.items(sb, 1);
			if (kind.readOnly) {
				const [item] = await run(kind, items, { timeout: fault.timeout });
				kind.ok(item);
				expect(requestsTo(sb, kind.path)).toHaveLength(2);
				counts.recoveries++;
			} else {
				await failure(run(kind, items, { timeout: fault.timeout }));
				expect(requestsTo(sb, kind.path)).toHaveLength(1);
			}
		}

		// 3. Continue On Fail: one item of 3 meets the fault; the others complete; pairing kept.
		// (The item in the middle; content faults, which a no-op fault cannot delay, hit the first.)
		sb.reset();
		const items = await kind.items(sb, 3);
		const failing = fault.only ? 0 : 1;
		if (failing === 1) sb.faults.add({ path: kind.path, kind: 'latency', delayMs: 0 }); // item 1 passes
		sb.faults.add({ path: kind.path, ...fault.fault, times: attempts }); // then one item meets it on every try
		const out = await run(kind, items, { continueOnFail: true, timeout: fault.timeout });
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		for (const [index, item] of out.entries()) {
			if (index === failing) continue;
			kind.ok(item);
		}
		expect(out[failing].json.error).toBe(fault.message(kind));
		expect(out[failing].binary).toBeUndefined();
		expect(requestsTo(sb, kind.path)).toHaveLength(attempts + 2);
		counts.continueOnFail++;
	});

	test('HMAC: a request signed with the wrong secret is rejected by Identomat, with our message', async () => {
		const error = await failure(run(kind, await kind.items(hs, 1), { s: hs, creds: { ...credentialsOf(hs), secretKey: 'not-the-secret' } }));
		expect(error.message).toBe(`${kind.action}: Identomat could not verify the request signature`);
		expect(hs.requests.filter((r) => r.signature === 'invalid').length).toBe(requestsTo(hs, kind.path).length);
		expect(requestsTo(hs, kind.path)).toHaveLength(1);
		counts.hmac++;
	});

	test('HMAC: a signed request passes, and an answer altered on the way is rejected', async () => {
		const [item] = await run(kind, await kind.items(hs, 1), { s: hs, creds: { ...credentialsOf(hs), secretKey: SECRET } });
		kind.ok(item);
		expect(hs.requests.every((r) => r.host === 'control' || r.signature === 'valid')).toBe(true);
		const proxy = await startTamperingProxy(hs.url);
		try {
			const error = await failure(run(kind, await kind.items(hs, 1), { creds: credentialsOf(hs, proxy.url) }));
			expect(error.message).toBe(`${kind.action}: Identomat's answer failed the signature check`);
		} finally {
			await proxy.close();
		}
		counts.hmac++;
	});
});

describe('bad input: the message names the parameter and the item, and nothing is sent', () => {
	async function badSecondItem(parameters: IDataObject, items: INodeExecutionData[], message: string, p: string) {
		const out = await run({ parameters } as Kind, items, { continueOnFail: true });
		const second = out.filter((item) => (item.pairedItem as { item: number }).item === 1);
		expect(second.map((item) => item.json.error)).toEqual([message]);
		expect(out.filter((item) => item.json.error)).toHaveLength(1);
		expect(requestsTo(sb, p)).toHaveLength(1);
		counts.badInput++;
	}

	const passport = { resource: 'document', operation: 'readPassport', binaryPropertyName: '={{ $json.field }}' };
	const file = (data: Buffer, fileName = 'photo.jpg', mimeType = 'image/jpeg') => itemWithFile({ field: 'data' }, { data: { data, fileName, mimeType } });

	test('an empty file', async () => {
		await badSecondItem(passport, [await file(fixtureImage), await file(Buffer.alloc(0))], 'The file in the binary field "data" of item 2 is empty', 'passport/');
	});

	test('a file that is not an image (PDF)', async () => {
		const pdf = await file(Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'), 'scan.pdf', 'application/pdf');
		await badSecondItem(passport, [await file(fixtureImage), pdf], 'The file in the binary field "data" of item 2 is a PDF document, not a JPEG or PNG image', 'passport/');
	});

	test('a file of unknown bytes', async () => {
		const text = await file(Buffer.from('just some text, no picture'), 'photo.jpg', 'image/jpeg');
		await badSecondItem(passport, [await file(fixtureImage), text], 'The file in the binary field "data" of item 2 is neither a JPEG nor a PNG image', 'passport/');
	});

	test('a wrong binary field name', async () => {
		const good = await file(fixtureImage);
		const wrong = { ...(await file(fixtureImage)), json: { field: 'photo' } };
		await badSecondItem(passport, [good, wrong], 'No file in the binary field "photo" of item 2', 'passport/');
	});

	test.each([
		['flags', '{"language": "en"', 'Custom Flags (JSON)', 'is not valid JSON'],
		['flags', '[1, 2]', 'Custom Flags (JSON)', 'must be a JSON object'],
		['steps', '[{"type": "liveness"', 'Custom Steps (JSON)', 'is not valid JSON'],
		['steps', '{"type": "liveness"}', 'Custom Steps (JSON)', 'must be a JSON array'],
	])('invalid JSON in %s: %s', async (option, text, displayName, what) => {
		const parameters = { resource: 'session', operation: 'create', options: { [option]: '={{ $json.value }}' } };
		const good = option === 'flags' ? '{"language": "en"}' : '[{"type": "liveness"}]';
		await badSecondItem(parameters, [{ json: { value: good } }, { json: { value: text } }], `"${displayName}" in item 2 ${what}`, 'begin/');
	});

	test.each(['2023-02-30', '1971-13-04', 'next tuesday'])('an impossible date: %s', async (date) => {
		const parameters = { resource: 'blacklist', operation: 'add', reason: 'fraud', lastName: '={{ $json.last }}', birthday: '={{ $json.birthday }}' };
		await badSecondItem(
			parameters,
			[{ json: { last: `${PERSON.last}x`, birthday: PERSON.birthday } }, { json: { last: `${PERSON.last}y`, birthday: date } }],
			'"Birthday" in item 2 is not a date',
			'add-blacklist-record',
		);
	});

	test.each([-1, 101, 'high'])('a score threshold out of range: %s', async (threshold) => {
		const parameters = { resource: 'screening', operation: 'search', fullName: `${PERSON.first} ${PERSON.last}`, scoreThreshold: '={{ $json.t }}', returnAll: false, limit: 5 };
		await badSecondItem(parameters, [{ json: { t: 80 } }, { json: { t: threshold } }], '"Score Threshold" in item 2 must be a number from 0 to 100', 'search-screening-person');
	});
});

afterAll(() => {
	const pii = fixtureImage.subarray(999, 1047).toString('base64');
	expect(fixtureImage.toString('base64')).toContain(pii);
	const secrets = [COMPANY_KEY, SECRET, PERSON.last, PERSON.personalNumber, PERSON.first, '1971-03-04', pii];
	const all = seen.join('\n');
	for (const secret of secrets) expect(all).not.toContain(secret);
	const scenarios = counts.matrix + counts.recoveries + counts.continueOnFail + counts.hmac + counts.badInput;
	expect(counts.matrix).toBeGreaterThanOrEqual(KINDS.length * 10);
	process.stdout.write(
		`fault suite: ${scenarios} scenarios (${counts.matrix} kind × fault, ${counts.recoveries} recoveries, ${counts.continueOnFail} continue-on-fail, ${counts.hmac} HMAC, ${counts.badInput} bad input); ${seen.length} outputs, errors and log lines scanned for ${secrets.length} secrets: none found\n`,
	);
});
