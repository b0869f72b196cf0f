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
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

import { allResourcesWorkflow, binaryBytes, CALLBACK_KEY, CREDENTIAL, credentials, failuresWorkflow, finishOnSandboxPage, PACKAGE, packagedNodeTypes } from '../../harness/identomat-workflows';
import { exampleWorkflows } from './examples';
import { createN8n, disposeAll, n8nVersion, ROOT, type ExecuteResult, type N8nInstance } from '../../harness/n8n';

import { sandboxForFile } from '../helpers/sandbox';

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

// Not reset between tests: the `n8n start` tests share a polling trigger that runs across them
// (the `n8n execute` describes reset before each test themselves).
const sb = sandboxForFile({ videoBytes: VIDEO_BYTES, recordingBytes: RECORDING_BYTES, recordingCount: 3, resetBeforeEach: false });
let tarball: string;

beforeAll(async () => {
	tarball = packageTarball();
});

afterAll(async () => {
	await disposeAll();
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

function lastRequestTo(path: string) {
	const found = requestsTo(path);
	return found[found.length - 1];
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
	const begin = lastRequestTo('begin/');
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
	const exportRequest = lastRequestTo('export-session-as-pdf');
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
	// One item for the person searched, with the match count and the matches.
	const [searched, ...more] = result.items('Screening Search');
	expect(more).toEqual([]);
	const matches = searched.json.matches as Array<{ name: string }>;
	expect(searched.json.matchCount).toBe(matches.length);
	expect(matches.length).toBeGreaterThan(0);
	expect(matches.length).toBeLessThanOrEqual(5);
	expect(matches[0]).toMatchObject({ name: expect.stringMatching(/John Doe Smith/i) });
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
	const reading = lastRequestTo('card/front/');
	expect(reading.encoding).toBe('multipart');
	expect(reading.files).toEqual([expect.objectContaining({ field: 'image', size: sb.fixtures['card-front.jpg'].length })]);
	const comparison = result.items('Face Compare')[0].json;
	expect(comparison.similarity).toBeGreaterThanOrEqual(0.5);
	expect(comparison.match).toBe(true);
	const compare = lastRequestTo('compare-faces');
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
		expect(out[0].json).toMatchObject({ firstName: 'JOHN', lastName: 'DOE', documentNumber: expect.any(String), similarity: expect.any(Number), sameFace: true });
		expect(requestsTo('card/front/')).toHaveLength(1);
		expect(requestsTo('compare-faces')).toHaveLength(1);
	});

	test('example: sanctions screening adds the person to monitoring, and says already monitored the next time', async () => {
		const result = succeeded(await n8n.execute('idmtSanctions001'));
		const flagged = result.items('Flag for Review');
		expect(flagged).toHaveLength(1);
		expect(flagged[0].json).toMatchObject({ fullName: 'John Doe Smith', status: 'review', topScore: 100 });
		expect(flagged[0].json.monitoringId).toMatch(/^[0-9a-f]{24}$/);
		expect(flagged[0].json.matches).toBeGreaterThan(0);
		expect(requestsTo('monitor-screening-query')).toHaveLength(1);
		expect(sb.state.monitoring.some((r: any) => r.fullName === 'John Doe Smith')).toBe(true);

		// Screened again: already monitored is reported, and the workflow still ends in Flag for Review.
		const again = succeeded(await n8n.execute('idmtSanctions001'));
		expect(again.items('Add to Monitoring').map((i: any) => i.json)).toEqual([{ alreadyMonitored: true }]);
		expect(again.items('Flag for Review')[0].json).toMatchObject({ fullName: 'John Doe Smith', monitoringId: 'already monitored' });
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

// ---------------------------------------------------------------------------------------------
// Under `n8n start`: webhooks, the Wait/resume, the polling trigger, the callback trigger

/** The items a node put out in an execution read through the public API (`includeData=true`). */
function executionItems(execution: any, nodeName: string): Array<{ json: any; binary?: any }> {
	const runs = execution?.data?.resultData?.runData?.[nodeName];
	if (!runs?.length) {
		throw new Error(`Node "${nodeName}" did not run; ran: ${Object.keys(execution?.data?.resultData?.runData ?? {}).join(', ')}`);
	}
	return runs[runs.length - 1].data?.main?.[0] ?? [];
}

async function sleep(ms: number) {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

const HAS_CALLBACK_TRIGGER = packagedNodeTypes().includes('identomatCallbackTrigger');

describe(`n8n ${n8nVersion(2)} under n8n start`, () => {
	let n8n: N8nInstance;
	let polling: Promise<{ execution: any; polls: number; touches: number; ms: number }>;

	/**
	 * The Identomat Trigger polls every minute (n8n's shortest interval; n8n has no "poll now" API).
	 * After every poll the sandbox's monitored people are touched, so whichever poll first has a
	 * stored cursor emits them; the first finished execution of the workflow is the answer.
	 */
	async function observePolling(workflowId: string, since: number) {
		const started = Date.now();
		const deadline = started + 240_000;
		let touchedAtPolls = -1;
		let touches = 0;
		for (;;) {
			const polls = (sb.requests as any[]).filter((r) => r.path === 'list-screening-monitoring-records' && Date.parse(r.time) >= since).length;
			if (polls > touchedAtPolls) {
				const res = await fetch(`${sb.url}/__sandbox/monitoring/touch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
				expect(res.status).toBe(200);
				touchedAtPolls = polls;
				touches++;
			}
			const list = await n8n.api('GET', `/executions?workflowId=${workflowId}&limit=5`);
			const done = (list.body?.data ?? []).find((e: any) => e.stoppedAt);
			if (done) {
				const full = await n8n.api('GET', `/executions/${done.id}?includeData=true`);
				return { execution: full.body, polls, touches, ms: Date.now() - started };
			}
			if (Date.now() > deadline) throw new Error(`no execution of the Identomat Trigger after ${polls} polls and ${touches} touches`);
			await sleep(1000);
		}
	}

	beforeAll(async () => {
		sb.reset();
		n8n = await createN8n({ major: 2, binaryDataMode: 'filesystem', packageTarball: tarball });
		await setUp(n8n);
		await n8n.start();
		// The polling trigger first: its minute ticks pass while the other tests run.
		const since = Date.now();
		await n8n.activate('idmtMonitorAlert');
		polling = observePolling('idmtMonitorAlert', since);
		polling.catch(() => undefined);
	});
	afterAll(async () => await n8n?.dispose());

	test('the nodes, the trigger and the AI tool variant are loaded', async () => {
		const types = ['identomat', 'identomatTrigger', 'identomatTool', ...(HAS_CALLBACK_TRIGGER ? ['identomatCallbackTrigger'] : [])];
		// What the editor gets: n8n writes every loaded node type, tool variants included, to
		// <userFolder>/.cache/n8n/public/types/nodes.json (served as /types/nodes.json to the logged-in editor).
		const nodesJson = path.join(n8n.userFolder, '.cache/n8n/public/types/nodes.json');
		const loaded = (JSON.parse(fs.readFileSync(nodesJson, 'utf8')) as any[]).filter((t) => t.name.startsWith(`${PACKAGE}.`));
		expect(loaded.map((t) => t.name).sort()).toEqual(types.map((t) => `${PACKAGE}.${t}`).sort());
		const tool = loaded.find((t) => t.name === `${PACKAGE}.identomatTool`);
		expect(JSON.stringify(tool.outputs)).toContain('ai_tool');
		expect(tool.properties.map((p: any) => p.name)).toEqual(expect.arrayContaining(['resource', 'operation']));
		expect(n8n.logs()).not.toMatch(/error.*n8n-nodes-identomat|n8n-nodes-identomat.*(error|failed)/i);
	});

	describe("the credential's test, through n8n's own route (the message the credential modal shows)", () => {
		const sandboxData = () => ({ apiKey: sb.companyKey, widgetBaseUrl: sb.widgetBaseUrl, apiBaseUrl: sb.apiBaseUrl });
		const check = async (data: Record<string, string>) => {
			const res = await n8n.rest('POST', '/credentials/test', { credentials: { id: CREDENTIAL.id, name: CREDENTIAL.name, type: 'identomatApi', data } });
			expect(res.status).toBe(200);
			process.stderr.write(`credential test: ${res.body.data.status}: ${res.body.data.message}\n`);
			return res.body.data as { status: string; message: string };
		};

		test('accepts the key and explains a wrong one in the node\'s words (Identomat answers 200)', async () => {
			expect(await check(sandboxData())).toMatchObject({ status: 'OK' });
			const wrong = await check({ ...sandboxData(), apiKey: 'a-wrong-company-key' });
			expect(wrong.status).toBe('Error');
			expect(wrong.message).toMatch(/^Identomat did not accept the company key\. .*Company settings → API access/);
			expect(JSON.stringify(wrong)).not.toContain('a-wrong-company-key');
			expect(lastRequestTo('list-users')).toMatchObject({ host: 'api', encoding: 'json' });
		});

		test('a base URL that is not Identomat: an unknown address (404), a web page (200), Identomat unavailable (503)', async () => {
			const page = http.createServer((req, res) => {
				req.resume();
				res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome</body></html>');
			});
			await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
			try {
				const unknown = await check({ ...sandboxData(), apiBaseUrl: sb.widgetBaseUrl });
				expect(unknown.message).toMatch(/^Identomat does not know this address \(HTTP 404\)\. Check the Widget API Base URL and API Base URL/);
				const webPage = await check({ ...sandboxData(), apiBaseUrl: `http://127.0.0.1:${(page.address() as AddressInfo).port}` });
				expect(webPage.message).toMatch(/^The API Base URL did not answer the test as Identomat does\. /);
			} finally {
				await new Promise((resolve) => page.close(resolve));
			}
			sb.faults.add({ path: 'list-users', kind: 'status', status: 503 });
			const down = await check(sandboxData());
			expect(down.message).toMatch(/^Identomat is not available right now: it answered \(HTTP 503\)\. This is usually temporary/);
		});

		test('nothing listening: n8n reports the connection itself, as the system code (a declarative test cannot word it)', async () => {
			const closed = http.createServer();
			await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
			const { port } = closed.address() as AddressInfo;
			await new Promise((resolve) => closed.close(resolve));
			expect(await check({ ...sandboxData(), apiBaseUrl: `http://127.0.0.1:${port}/api` })).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
		});
	});

	test('example: KYC onboarding waits for the person and resumes from the return URL', async () => {
		await n8n.activate('idmtKycOnboard01', { webhookPaths: ['identomat-kyc-onboarding'] });
		const hook = await n8n.http('POST', '/webhook/identomat-kyc-onboarding', { email: 'ada@example.com' });
		expect(hook.status).toBe(200);
		expect(hook.body).toMatchObject({ email: 'ada@example.com', sessionId: expect.stringMatching(/^[0-9a-z]{40}$/) });
		const { sessionId, sessionUrl } = hook.body;
		expect(sessionUrl).toBe(`${sb.url}/?session_token=${sessionId}`);

		// The execution waits; the session's return URL is its resume URL.
		let waiting: any;
		for (let i = 0; i < 60 && !waiting; i++) {
			const list = await n8n.api('GET', '/executions?workflowId=idmtKycOnboard01&status=waiting');
			waiting = list.body?.data?.[0];
			if (!waiting) await sleep(250);
		}
		expect(waiting).toBeDefined();
		const returnUrl = sb.state.sessions.get(sessionId)?.flags?.return_url ?? JSON.parse(lastRequestTo('begin/').fields.flags).return_url;
		expect(returnUrl).toContain(`/webhook-waiting/${waiting.id}`);

		// The person approves on the widget page, which redirects to the resume URL.
		const page = await finishOnSandboxPage(sessionUrl);
		expect(page.status).toBe(303);
		expect(page.headers.get('location')).toBe(returnUrl);
		// Identomat sends the person to the return URL: they land on the workflow's thank-you page.
		const resumed = await fetch(returnUrl);
		expect(resumed.status).toBe(200);
		expect(resumed.headers.get('content-type')).toContain('text/html');
		expect(await resumed.text()).toContain('Thank you, your identity check is done');

		const execution = await n8n.waitForExecution('idmtKycOnboard01', { status: 'success', timeoutMs: 60_000 });
		expect(execution.id).toBe(waiting.id);
		expect(executionItems(execution, 'Get Result')[0].json).toMatchObject({ sessionId, result: 'approved' });
		const record = executionItems(execution, 'Record Approval in CRM')[0];
		expect(record.json).toMatchObject({ email: 'ada@example.com', sessionId, status: 'verified' });
		expect(Object.keys(record.binary ?? {}).sort()).toEqual(['documentFront', 'report']);
		expect(binaryBytes(n8n, record.binary!.documentFront).equals(sb.fixtures['card-front.jpg'])).toBe(true);
		const front = executionItems(execution, 'Get Document Front')[0].binary!.documentFront;
		expect(front).toMatchObject({ mimeType: 'image/jpeg', fileExtension: 'jpg', fileName: `${sessionId}-card-front.jpg` });
		expect(binaryBytes(n8n, front).equals(sb.fixtures['card-front.jpg'])).toBe(true);
		const report = executionItems(execution, 'Export PDF Report')[0].binary!.report;
		expect(report).toMatchObject({ mimeType: 'application/pdf', fileExtension: 'pdf', fileName: `${sessionId}-report.pdf` });
		expect(binaryBytes(n8n, report).subarray(0, 5).equals(PDF_MAGIC)).toBe(true);
		expect(() => executionItems(execution, 'Record Rejection in CRM')).toThrow(/did not run/);
	});

	test('example: document check over a multipart upload webhook', async () => {
		await n8n.activate('idmtDocCheck0001', { webhookPaths: ['identomat-document-check'] });
		const form = new FormData();
		form.append('idPhoto', new Blob([sb.fixtures['card-front.jpg']], { type: 'image/jpeg' }), 'card.jpg');
		form.append('selfie', new Blob([sb.fixtures['face.jpg']], { type: 'image/jpeg' }), 'selfie.jpg');
		const res = await n8n.http('POST', '/webhook/identomat-document-check', form);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ firstName: 'JOHN', lastName: 'DOE', similarity: expect.any(Number), sameFace: true });
		const compare = lastRequestTo('compare-faces');
		expect(compare.files.map((f: any) => f.size)).toEqual([sb.fixtures['card-front.jpg'].length, sb.fixtures['face.jpg'].length]);
	});

	(HAS_CALLBACK_TRIGGER ? test : test.skip)('example: callback relay answers Identomat and composes the SMS; a wrong key gets 401', async () => {
		await n8n.activate('idmtCallbackSms1');
		const workflow = await n8n.api('GET', '/workflows/idmtCallbackSms1');
		const trigger = workflow.body.nodes.find((x: any) => x.type === `${PACKAGE}.identomatCallbackTrigger`);
		// Its production URL: /webhook/<webhookId>/<path>, or /webhook/<path parameter>.
		const candidates = [`${trigger.webhookId}/webhook`, `${trigger.webhookId}/callback`, trigger.parameters?.path].filter(Boolean);
		let url = '';
		for (let i = 0; i < 120 && !url; i++) {
			for (const candidate of candidates) {
				const probe = await n8n.http('OPTIONS', `/webhook/${candidate}`, undefined, { origin: n8n.baseUrl, 'access-control-request-method': 'POST' });
				if (probe.status < 400) url = `${n8n.baseUrl}/webhook/${candidate}`;
			}
			if (!url) await sleep(250);
		}
		expect(url).not.toBe('');
		const body = { event: 'one-time-password-request', sessionId: 'e2esession', text: 'Your code is 123456', phoneNumber: '+995555000111' };
		const wrong = await sb.sendCallback(url, { ...body, callbackApiKey: 'wrong' });
		expect(wrong.status).toBe(401);
		const ok = await sb.sendCallback(url, { ...body, callbackApiKey: CALLBACK_KEY });
		expect(ok.status).toBe(200);
		const execution = await n8n.waitForExecution('idmtCallbackSms1', { timeoutMs: 30_000 });
		expect(executionItems(execution, 'Compose SMS')[0].json).toEqual({ to: '+995555000111', message: 'Your code is 123456', sessionId: 'e2esession' });
		expect(JSON.stringify(execution.data)).not.toContain(CALLBACK_KEY);
		const list = await n8n.api('GET', '/executions?workflowId=idmtCallbackSms1');
		expect(list.body.data).toHaveLength(1);
	});

	test('example: monitoring alerts from the polling trigger, fed by sandbox changes', async () => {
		const { execution, polls, touches, ms } = await polling;
		process.stderr.write(`Identomat Trigger: first execution ${ms} ms after activation, ${polls} polls, ${touches} touches\n`);
		expect(execution.status).toBe('success');
		const alerts = executionItems(execution, 'Send Alert');
		expect(alerts.length).toBeGreaterThan(0);
		for (const alert of alerts) {
			expect(alert.json).toMatchObject({ channel: '#compliance', monitoringId: expect.stringMatching(/^[0-9a-f]{24}$/) });
			expect(alert.json.text).toMatch(/^Screening results changed for .+ \((1 match|\d+ matches)\), updated \d{4}-/);
			expect(alert.json.text).not.toContain('(1 matches)');
		}
		const ids = alerts.map((a) => a.json.monitoringId);
		expect(new Set(ids).size).toBe(ids.length);
	});
});
