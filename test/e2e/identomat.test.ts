/**
 * End to end: the packed package installed as a community package in a real n8n, run against the
 * Identomat sandbox. `n8n execute` runs the example workflows and two test-only workflows (every
 * resource in one execution; the failures users meet most) in both binary data modes and on n8n
 * 1.x; under `n8n start`, the KYC onboarding flow with its Wait/resume, the polling trigger, the
 * callback trigger and the document upload webhook run as in production, observed through the
 * public API.
 *
 * The package tarball: E2E_PACKAGE_TARBALL, or .cache/pack/n8n-nodes-identomat-<version>.tgz
 * (scripts/e2e.sh builds and packs it); built and packed here when missing.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
	allResourcesWorkflow,
	binaryBytes,
	CALLBACK_KEY,
	credentials,
	exampleWorkflows,
	failuresWorkflow,
	PACKAGE,
	packagedNodeTypes,
} from './identomat-workflows';
import { createN8n, disposeAll, n8nVersion, ROOT, type ExecuteResult, type N8nInstance } from './n8n';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSandbox } = require('../sandbox');

const PDF_MAGIC = Buffer.from('%PDF-');
const WEBM_MAGIC = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);
const VIDEO_BYTES = 256 * 1024;
const RECORDING_BYTES = 128 * 1024;

function packageTarball(): string {
	if (process.env.E2E_PACKAGE_TARBALL) return path.resolve(process.env.E2E_PACKAGE_TARBALL);
	const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const tarball = path.join(ROOT, '.cache/pack', `${PACKAGE}-${version}.tgz`);
	if (!fs.existsSync(tarball)) {
		execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
		execFileSync('npm', ['pack', '--pack-destination', path.dirname(tarball)], { cwd: ROOT, stdio: 'inherit' });
	}
	return tarball;
}

let sb: any;
let tarball: string;

beforeAll(async () => {
	tarball = packageTarball();
	sb = await startSandbox({ port: 0, videoBytes: VIDEO_BYTES, recordingBytes: RECORDING_BYTES, recordingCount: 3 });
});

afterAll(async () => {
	await disposeAll();
	await sb?.close();
});

async function setUp(n8n: N8nInstance, extraWorkflows: object[] = []) {
	await n8n.importCredentials(credentials(sb));
	await n8n.importWorkflows([...exampleWorkflows(sb.url), allResourcesWorkflow(sb.url), failuresWorkflow(), ...extraWorkflows]);
}

function succeeded(result: ExecuteResult) {
	if (result.code !== 0 || result.error) {
		throw new Error(
			`execution failed (${result.code}): ${result.error?.message ?? ''}\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`,
		);
	}
	return result;
}

function requestsTo(path: string) {
	return (sb.requests as any[]).filter((r) => r.path === path);
}

/** A file that came out: sniffed type, name, extension, size, and the bytes themselves. */
function expectFile(n8n: N8nInstance, binary: any, expected: { mimeType: string; extension: string; name: RegExp; bytes?: Buffer; magic?: Buffer; size?: number }) {
	expect(binary).toBeDefined();
	expect(binary.mimeType).toBe(expected.mimeType);
	expect(binary.fileExtension).toBe(expected.extension);
	expect(binary.fileName).toMatch(expected.name);
	const bytes = binaryBytes(n8n, binary);
	if (expected.bytes) expect(bytes.equals(expected.bytes)).toBe(true);
	if (expected.magic) expect(bytes.subarray(0, expected.magic.length).equals(expected.magic)).toBe(true);
	if (expected.size !== undefined) expect(bytes.length).toBe(expected.size);
	return bytes;
}

/** The assertions on the every-resource workflow, shared by both binary modes and n8n 1.x. */
function checkAllResources(n8n: N8nInstance, result: ExecuteResult) {
	const sessionId = result.items('New Session')[0].json.sessionId;
	expect(sessionId).toMatch(/^[0-9a-z]{40}$/);
	const SID = new RegExp(`^${sessionId}-`);

	// Session
	expect(result.items('Get Result')[0].json).toMatchObject({ sessionId, result: 'approved', documentType: 'id' });
	expect(result.items('Get Activities').length).toBeGreaterThan(1);
	expect(result.items('Get Activities').map((i) => i.json.type)).toContain('SESSION_APPROVED');
	expect(result.items('Get Statistics')).toHaveLength(1);
	const create = result.items('Create Session')[0].json;
	expect(create.sessionId).toMatch(/^[0-9a-z]{40}$/);
	expect(create.sessionUrl).toBe(`${sb.url}/?session_token=${create.sessionId}`);
	expect(result.items('Delete Session')[0].json).toEqual({ deleted: true, sessionId: create.sessionId });
	const begin = requestsTo('begin/').at(-1);
	expect(begin.host).toBe('widget');
	expect(begin.fields.company_key).toBe(sb.companyKey);
	const flags = typeof begin.fields.flags === 'string' ? JSON.parse(begin.fields.flags) : begin.fields.flags;
	expect(flags).toMatchObject({ language: 'de', return_url: 'https://crm.example.com/done' });

	// Session Media: image, streamed video, data-URI photo, several files on one item
	const front = result.items('Get Document Front')[0];
	expectFile(n8n, front.binary!.data, { mimeType: 'image/jpeg', extension: 'jpg', name: SID, bytes: sb.fixtures['card-front.jpg'] });
	const video = result.items('Get Liveness Video')[0];
	expectFile(n8n, video.binary!.video, { mimeType: 'video/webm', extension: 'webm', name: SID, magic: WEBM_MAGIC, size: VIDEO_BYTES });
	const facePhoto = result.items('Get Document Face Photo')[0];
	expectFile(n8n, facePhoto.binary!.data, { mimeType: 'image/jpeg', extension: 'jpg', name: SID });
	const markers = result.items('Get Visual Markers')[0];
	expect(Object.keys(markers.binary!).sort()).toEqual(['data', 'data_1', 'data_2']);
	expectFile(n8n, markers.binary!.data, { mimeType: 'image/png', extension: 'png', name: SID });

	// PDF
	const pdf = result.items('Export PDF')[0];
	const pdfBytes = expectFile(n8n, pdf.binary!.report, { mimeType: 'application/pdf', extension: 'pdf', name: SID, magic: PDF_MAGIC });
	expect(pdfBytes.toString('latin1')).toContain(sessionId);
	const exportRequest = requestsTo('export-session-as-pdf').at(-1);
	expect(exportRequest.host).toBe('api');
	expect(exportRequest.fields).toMatchObject({ companyKey: sb.companyKey, sessionId, exportSession: true, exportScreening: true, exportProofOfAddress: false });
	expect(exportRequest.fields.session_token).toBeUndefined();

	// Video Call: shots, the recordings archive unpacked, end
	const shots = result.items('Get Shots')[0];
	expect(Object.keys(shots.binary!).sort()).toEqual(['data', 'data_1', 'data_2']);
	const recordings = result.items('Get Recordings')[0];
	expect(Object.keys(recordings.binary!).sort()).toEqual(['data', 'data_1', 'data_2']);
	for (const key of ['data', 'data_1', 'data_2']) {
		expectFile(n8n, recordings.binary![key], { mimeType: 'video/webm', extension: 'webm', name: /recording|\.webm$/, magic: WEBM_MAGIC, size: RECORDING_BYTES });
	}
	expect(result.items('End Video Call')[0].json).toMatchObject({ ended: true });

	// Screening
	const matches = result.items('Screening Search');
	expect(matches.length).toBeGreaterThan(0);
	expect(matches.length).toBeLessThanOrEqual(5);
	expect(matches[0].json).toMatchObject({ name: expect.stringMatching(/John Doe Smith/i) });
	expect(result.items('Screening Get Person')[0].json).toBeDefined();
	expect(result.items('Add to Monitoring')[0].json.monitoringId).toMatch(/^[0-9a-f]{24}$/);
	expect(sb.state.monitoring.some((r: any) => r.fullName === 'E2E Monitored Person')).toBe(true);

	// Blacklist, Group, User, Configuration
	expect(result.items('Blacklist Add')[0].json.id).toMatch(/^[0-9a-f]{24}$/);
	expect(result.items('Blacklist Get Many').map((i) => i.json.lastName)).toContain('Forger');
	expect(result.items('Group Get Many').map((i) => i.json.id ?? i.json._id)).toContain('650976e8dc32104b8bb1757e');
	const users = JSON.stringify(result.items('User Get Many').map((i) => i.json));
	for (const email of ['admin@example.com', 'user1@example.com', 'user2@example.com']) expect(users).toContain(email);
	expect(JSON.stringify(result.items('Configuration Get')[0].json)).toContain('62412c096c4b39ba845d4bf2');

	// Document (upload) and Face (two uploads)
	expect(result.items('Read ID Card Front')[0].json).toMatchObject({ firstName: expect.any(String), documentNumber: expect.any(String) });
	expect(result.items('Read Passport')[0].json).toMatchObject({ mrzData: expect.any(Object) });
	const reading = requestsTo('card/front/').at(-1);
	expect(reading.encoding).toBe('multipart');
	expect(reading.files).toEqual([expect.objectContaining({ field: 'image', size: sb.fixtures['card-front.jpg'].length })]);
	const comparison = result.items('Face Compare')[0].json;
	expect(comparison.similarity).toBeGreaterThanOrEqual(0.5);
	expect(comparison.match).toBe(true);
	const compare = requestsTo('compare-faces').at(-1);
	expect(compare.files.map((f: any) => [f.field, f.size])).toEqual([
		['face1', sb.fixtures['face.jpg'].length],
		['face2', sb.fixtures['document-face.jpg'].length],
	]);
}

function checkFailures(result: ExecuteResult) {
	expect(result.code).not.toBe(0);
	// Continue On Fail: the unknown session's message in the item
	const unknown = result.items('Unknown Session')[0].json;
	expect(JSON.stringify(unknown)).toContain('Identomat has no session with this ID');
	// The wrong key stops the execution with our message
	expect(result.error?.message ?? '').toContain('Identomat did not accept the company key');
	expect(result.error?.node?.name ?? result.run?.data?.resultData?.lastNodeExecuted).toBe('Wrong Key');
	expect(`${result.stdout}${result.stderr}`).not.toContain('not-the-company-key');
}

describe.each(['default', 'filesystem'] as const)('n8n %s binary data mode (n8n execute)', (mode) => {
	let n8n: N8nInstance;
	beforeAll(async () => {
		n8n = await createN8n({ major: 2, binaryDataMode: mode, packageTarball: tarball });
		await setUp(n8n);
	});
	afterAll(async () => await n8n?.dispose());
	beforeEach(() => sb.reset());

	test(`runs n8n ${n8nVersion(2)} in ${mode} mode`, () => {
		expect(n8n.version).toBe('2.41.1');
		expect(n8n.binaryDataMode).toBe(mode);
	});

	test('every resource, the files and the uploads in one execution', async () => {
		const result = succeeded(await n8n.execute('e2eIdmtAllRes01'));
		checkAllResources(n8n, result);
		if (mode === 'filesystem') {
			expect(result.items('Get Document Front')[0].binary!.data.id).toMatch(/^filesystem/);
		} else {
			expect(result.items('Get Document Front')[0].binary!.data.data).toBe(sb.fixtures['card-front.jpg'].toString('base64'));
		}
	});

	test('example: document check with the sandbox images', async () => {
		const result = succeeded(await n8n.execute('idmtDocCheckDemo'));
		const out = result.items('Check Result');
		expect(out).toHaveLength(1);
		expect(out[0].json).toMatchObject({ firstName: 'JOHN', lastName: 'DOE', documentNumber: expect.any(String), similarity: expect.any(Number), sameFace: expect.any(Boolean) });
		expect(requestsTo('card/front/')).toHaveLength(1);
		expect(requestsTo('compare-faces')).toHaveLength(1);
	});

	test('example: sanctions screening adds the person to monitoring', async () => {
		const result = succeeded(await n8n.execute('idmtSanctions001'));
		const flagged = result.items('Flag for Review');
		expect(flagged).toHaveLength(1);
		expect(flagged[0].json).toMatchObject({ fullName: 'John Doe Smith', status: 'review', topScore: 100 });
		expect(flagged[0].json.monitoringId).toMatch(/^[0-9a-f]{24}$/);
		expect(flagged[0].json.matches).toBeGreaterThan(0);
		expect(requestsTo('monitor-screening-query')).toHaveLength(1);
		expect(sb.state.monitoring.some((r: any) => r.fullName === 'John Doe Smith')).toBe(true);
	});

	test('the failures users meet most show our messages', async () => {
		checkFailures(await n8n.execute('e2eIdmtFailure1'));
	});
});

describe(`n8n 1.x (${n8nVersion(1)}, Node 20, n8n execute)`, () => {
	let n8n: N8nInstance;
	beforeAll(async () => {
		n8n = await createN8n({ major: 1, binaryDataMode: 'default', packageTarball: tarball });
		await setUp(n8n);
	});
	afterAll(async () => await n8n?.dispose());
	beforeEach(() => sb.reset());

	test('every resource, the files and the uploads in one execution', async () => {
		checkAllResources(n8n, succeeded(await n8n.execute('e2eIdmtAllRes01')));
	});

	test('the failures users meet most show our messages', async () => {
		checkFailures(await n8n.execute('e2eIdmtFailure1'));
	});
});
