/**
 * End to end in n8n's queue mode, as companies run it at volume (harness/queue.ts): PostgreSQL,
 * Redis, one main (`EXECUTIONS_MODE=queue`), two `n8n worker`s and one `n8n webhook` processor,
 * each with its own user folder and the packed package installed, binary data in the database.
 *
 * Every scenario checks where it ran, not only what came out: executions ran on a worker (its
 * log says "Worker started execution <id>"), webhooks and resume calls were answered on the
 * webhook processor's port (main serves no production webhooks here), the polling trigger ran on
 * main (the poll in flight when main was killed was never answered).
 */
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { allResourcesWorkflow, CALLBACK_KEY, credentials, finishOnSandboxPage, identomat, node, PACKAGE } from '../../harness/identomat-workflows';
import { exampleWorkflows } from './examples';
import { packageTarball } from '../../harness/n8n';
import { startQueueStack, type QueueStack } from '../../harness/queue';

import { sandboxForFile } from '../helpers/sandbox';
import { videoSource } from '../../sandbox/media.ts';

const MB = 1024 * 1024;
const VIDEO_BYTES = 50 * MB;
const RECORDING_BYTES = 5 * MB;
const RECORDINGS = 3;
const MONITOR = 'idmtMonitorAlert';
const POLL_PATH = 'list-screening-monitoring-records';

// The polling trigger activated in beforeAll runs across the tests, on the people seeded there.
const sb = sandboxForFile({ videoBytes: VIDEO_BYTES, recordingBytes: RECORDING_BYTES, recordingCount: RECORDINGS, resetBeforeEach: false });
let stack: QueueStack;
/** Monitoring records of this suite's own, and the changes made to them: `${id} ${lastUpdatedDate}`. */
let monitored: string[] = [];
const changes: string[] = [];
let firstChanges: Promise<void>;

async function sleep(ms: number) {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

/** sha256 of what the sandbox sends for a video of `bytes` (the recordings are such videos too). */
async function videoSha256(bytes: number): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of videoSource(bytes).open()) hash.update(chunk);
	return hash.digest('hex');
}

function requestsTo(path: string): any[] {
	return (sb.requests as any[]).filter((r) => r.path === path);
}

/** The items a node put out in an execution read through the public API (`includeData=true`). */
function itemsOf(execution: any, nodeName: string): Array<{ json: any; binary?: any }> {
	const runs = execution?.data?.resultData?.runData?.[nodeName];
	if (!runs?.length) throw new Error(`Node "${nodeName}" did not run; ran: ${Object.keys(execution?.data?.resultData?.runData ?? {}).join(', ')}`);
	return runs[runs.length - 1].data?.main?.[0] ?? [];
}

/** The execution ran on one of the workers: which one, by its own log. */
function ranOnWorker(execution: { id: string | number }): string {
	const worker = stack.workerOf(execution.id);
	if (!worker) throw new Error(`no worker log says it started execution ${execution.id}`);
	return worker.name;
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 180_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(500);
	}
}

/** Changes the records' screening results on the sandbox (a new lastUpdatedDate each). */
function change(ids: string[]) {
	const date = new Date();
	sb.monitoring.touch(ids, date);
	changes.push(...ids.map((id) => `${id} ${date.toISOString()}`));
}

/** Once the trigger's first poll is answered (it sets where the trigger starts), change some records. */
async function changeAfterFirstPoll(ids: string[]) {
	await until('the first poll', () => requestsTo(POLL_PATH).some((r) => r.status === 200));
	change(ids);
}

/** Every change the Identomat Trigger put out, over all executions of the workflow (`${id} ${lastUpdatedDate}`), and which worker ran each. */
async function emitted(): Promise<{ items: string[]; workers: Array<string | undefined> }> {
	const list = await stack.main.api('GET', `/executions?workflowId=${MONITOR}&limit=100`);
	const items: string[] = [];
	const workers: Array<string | undefined> = [];
	for (const summary of list.body.data.filter((e: any) => e.stoppedAt)) {
		const execution = (await stack.main.api('GET', `/executions/${summary.id}?includeData=true`)).body;
		expect(execution.status).toBe('success');
		workers.push(stack.workerOf(execution.id)?.name);
		items.push(...itemsOf(execution, 'Identomat Trigger').map((i) => `${i.json.id} ${i.json.lastUpdatedDate}`));
	}
	return { items, workers };
}

/** The workflow with its Manual Trigger replaced by a production webhook (answered at once). */
function startedByWebhook<T extends { nodes: any[] }>(workflow: T, webhookPath: string): T {
	const copy = structuredClone(workflow);
	const trigger = copy.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger');
	Object.assign(trigger, {
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
	});
	return copy;
}

/** A Code node that reads every file of every item it is handed back from n8n's binary store. */
function checkFiles(name: string, x: number, y: number) {
	const jsCode = `
const crypto = require('crypto');
const sessionId = $('New Session').first().json.sessionId;
const out = [];
const items = $input.all();
for (let i = 0; i < items.length; i++) {
	for (const [key, meta] of Object.entries(items[i].binary ?? {})) {
		const bytes = await this.helpers.getBinaryDataBuffer(i, key);
		out.push({ json: {
			key, id: meta.id, fileName: meta.fileName, mimeType: meta.mimeType, size: bytes.length,
			sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
			head: bytes.subarray(0, 5).toString('latin1'),
			mentionsSession: bytes.includes(Buffer.from(sessionId)),
		} });
	}
}
return out;`;
	return node(name, 'n8n-nodes-base.code', 2, { mode: 'runOnceForAllItems', jsCode }, x, y);
}

/** Every resource in one execution, its files handed on to Code nodes that read them back. */
function everyResourceWorkflow() {
	const workflow: any = startedByWebhook(allResourcesWorkflow(sb.url), 'queue-every-resource');
	workflow.id = 'queueEveryRes01';
	workflow.name = 'Queue: every resource, files read back';
	for (const [from, check] of [['Get Liveness Video', 'Check Video'], ['Get Recordings', 'Check Recordings'], ['Export PDF', 'Check PDF']]) {
		const source = workflow.nodes.find((n: any) => n.name === from);
		workflow.nodes.push(checkFiles(check, source.position[0], source.position[1] + 120));
		workflow.connections[from].main[0].push({ node: check, type: 'main', index: 0 });
	}
	return workflow;
}

/** 200 blacklist writes, 10 in flight at a time. */
function bulkWriteWorkflow() {
	const people = node('200 People', 'n8n-nodes-base.code', 2, {
		mode: 'runOnceForAllItems',
		jsCode: 'return Array.from({ length: 200 }, (_, i) => ({ json: { documentNumber: `QUEUE-${String(i).padStart(3, "0")}` } }));',
	}, 220, 0);
	const add = identomat('Blacklist Add', 440, 0, 'blacklist', 'add', {
		reason: 'queue e2e: bulk import',
		lastName: 'Bulk',
		documentNumber: '={{ $json.documentNumber }}',
		requestOptions: { concurrency: 10 },
	}, { executeOnce: false });
	return startedByWebhook({
		id: 'queueBulkWrite1',
		name: 'Queue: 200 blacklist writes',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [node('Manual', 'n8n-nodes-base.manualTrigger', 1, {}, 0, 0), people, add],
		connections: {
			Manual: { main: [[{ node: people.name, type: 'main', index: 0 }]] },
			[people.name]: { main: [[{ node: add.name, type: 'main', index: 0 }]] },
		},
	}, 'queue-bulk-write');
}

beforeAll(async () => {
	stack = await startQueueStack({ packageTarball: packageTarball(), workers: 2 });
	await stack.main.importCredentials(credentials(sb));
	await stack.main.importWorkflows([...exampleWorkflows(sb.url), everyResourceWorkflow(), bulkWriteWorkflow()]);
	// The polling trigger first: n8n polls once a minute at most, so its first polls pass while the other scenarios run.
	monitored = sb.monitoring.seed(6);
	await stack.main.activate(MONITOR);
	firstChanges = changeAfterFirstPoll(monitored.slice(0, 3));
	firstChanges.catch(() => undefined);
});

afterAll(async () => {
	await stack?.dispose();
});

test('the stack: main, two workers and a webhook processor on one PostgreSQL and Redis, binary data in the database', async () => {
	expect(stack.main.version).toBe('2.41.1');
	// each instance has its own user folder with the package installed in it
	const instances = [stack.main, stack.webhook, ...stack.workers.map((w) => w.instance)];
	expect(new Set(instances.map((i) => i.userFolder)).size).toBe(4);
	for (const i of instances) expect(fs.existsSync(path.join(i.n8nFolder, 'nodes/node_modules', PACKAGE, 'package.json'))).toBe(true);
	expect(stack.postgres.query('SELECT count(*) FROM workflow_entity')).not.toBe('0');
	// main takes no production webhooks: a load balancer sends them to the webhook processor
	expect((await stack.main.http('POST', '/webhook/identomat-document-check')).status).toBe(404);
});

test('every resource on a worker; the 50 MB video, the unpacked recordings and the PDF read back by a Code node', async () => {
	await stack.main.activate('queueEveryRes01');
	await stack.waitForWebhook('queue-every-resource');
	const hook = await stack.webhook.http('POST', '/webhook/queue-every-resource', {});
	expect(hook.status).toBe(200);
	const execution = await stack.main.waitForExecution('queueEveryRes01', { timeoutMs: 240_000 });
	expect(execution.status).toBe('success');
	process.stderr.write(`every resource: execution ${execution.id} on ${ranOnWorker(execution)}\n`);

	// Every Identomat node put something out.
	const workflow = everyResourceWorkflow();
	for (const n of workflow.nodes.filter((x: any) => x.type === `${PACKAGE}.identomat`)) {
		expect([n.name, itemsOf(execution, n.name).length > 0]).toEqual([n.name, true]);
	}
	const sessionId = itemsOf(execution, 'New Session')[0].json.sessionId;
	expect(itemsOf(execution, 'Get Result')[0].json).toMatchObject({ sessionId, result: 'approved' });
	expect(itemsOf(execution, 'Read ID Card Front')[0].json).toMatchObject({ firstName: 'JOHN', lastName: 'DOE' });
	expect(itemsOf(execution, 'Face Compare')[0].json).toMatchObject({ match: true });

	// The files, as the following node read them from n8n's binary store (the database).
	const [video] = itemsOf(execution, 'Check Video').map((i) => i.json);
	expect(video).toMatchObject({ key: 'video', mimeType: 'video/webm', size: VIDEO_BYTES, sha256: await videoSha256(VIDEO_BYTES) });
	expect(video.id).toMatch(/^database/);
	const recordings = itemsOf(execution, 'Check Recordings').map((i) => i.json);
	const recordingSha = await videoSha256(RECORDING_BYTES);
	expect(recordings.map((r) => [r.key, r.mimeType, r.size, r.sha256])).toEqual(
		['data', 'data_1', 'data_2'].map((key) => [key, 'video/webm', RECORDING_BYTES, recordingSha]),
	);
	const [pdf] = itemsOf(execution, 'Check PDF').map((i) => i.json);
	expect(pdf).toMatchObject({ key: 'report', mimeType: 'application/pdf', head: '%PDF-', mentionsSession: true });
	// …and the video is a row of n8n's binary_data table
	expect(Number(stack.postgres.query(`SELECT count(*) FROM binary_data WHERE "fileSize" = ${VIDEO_BYTES}`))).toBeGreaterThan(0);
});

test('a document photo and a selfie posted as multipart to the webhook processor: read and compared on a worker, the files reaching it from the webhook processor', async () => {
	await stack.main.activate('idmtDocCheck0001');
	await stack.waitForWebhook('identomat-document-check');
	const card = sb.fixtures['card-front.jpg'];
	const selfie = sb.fixtures['face.jpg'];
	const form = new FormData();
	form.append('idPhoto', new Blob([card], { type: 'image/jpeg' }), 'card.jpg');
	form.append('selfie', new Blob([selfie], { type: 'image/jpeg' }), 'selfie.jpg');
	const res = await stack.webhook.http('POST', '/webhook/identomat-document-check', form);
	expect(res.status).toBe(200);
	expect(res.body).toMatchObject({ firstName: 'JOHN', lastName: 'DOE', documentNumber: expect.any(String), similarity: expect.any(Number), sameFace: expect.any(Boolean) });

	const execution = await stack.main.waitForExecution('idmtDocCheck0001');
	expect(execution.status).toBe('success');
	ranOnWorker(execution);
	const upload = itemsOf(execution, 'Upload')[0].binary!;
	expect([upload.idPhoto.id, upload.selfie.id]).toEqual([expect.stringMatching(/^database/), expect.stringMatching(/^database/)]);
	// Identomat got the very bytes that were uploaded, as multipart
	const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
	expect(requestsTo('card/front/').at(-1).files).toEqual([expect.objectContaining({ field: 'image', sha256: sha(card) })]);
	expect(requestsTo('compare-faces').at(-1).files.map((f: any) => [f.field, f.sha256])).toEqual([['face1', sha(card)], ['face2', sha(selfie)]]);
});

test('KYC onboarding: the person finishes on the sandbox page, the resume call lands on the webhook processor, the rest runs on a worker', async () => {
	await stack.main.activate('idmtKycOnboard01');
	await stack.waitForWebhook('identomat-kyc-onboarding');
	const hook = await stack.webhook.http('POST', '/webhook/identomat-kyc-onboarding', { email: 'ada@example.com' });
	expect(hook.status).toBe(200);
	const { sessionId, sessionUrl } = hook.body;
	expect(sessionUrl).toBe(`${sb.url}/?session_token=${sessionId}`);

	const waiting = await until('the execution to wait for the person', async () => (await stack.main.api('GET', '/executions?workflowId=idmtKycOnboard01&status=waiting')).body?.data?.[0]);
	// The session's return URL is the execution's resume URL, on the webhook processor.
	const returnUrl = sb.state.sessions.get(sessionId).flags.return_url;
	expect(returnUrl).toMatch(new RegExp(`^${stack.webhook.baseUrl}/webhook-waiting/${waiting.id}\\b`));

	const page = await finishOnSandboxPage(sessionUrl);
	expect(page.status).toBe(303);
	expect(page.headers.get('location')).toBe(returnUrl);
	expect((await fetch(returnUrl)).status).toBeLessThan(400);

	const execution = await stack.main.waitForExecution('idmtKycOnboard01', { status: 'success', timeoutMs: 120_000 });
	expect(execution.id).toBe(waiting.id);
	expect(itemsOf(execution, 'Record Approval in CRM')[0].json).toMatchObject({ email: 'ada@example.com', sessionId, status: 'verified' });
	// Both parts, before and after the Wait, were taken by a worker.
	const starts = stack.workers.flatMap((w) => w.service.logs().match(new RegExp(`Worker started execution ${execution.id} \\(job`, 'g')) ?? []);
	expect(starts).toHaveLength(2);
	// The files are rows of the binary_data table, byte for byte what Identomat sent.
	const front = itemsOf(execution, 'Get Document Front')[0].binary!.documentFront;
	const fileId = String(front.id).replace(/^database:/, '');
	expect(stack.postgres.query(`SELECT encode(sha256(data), 'hex') FROM binary_data WHERE "fileId" = '${fileId}'`)).toBe(
		createHash('sha256').update(sb.fixtures['card-front.jpg']).digest('hex'),
	);
});

test('the Callback Trigger is answered by the webhook processor: the right key runs the workflow on a worker, a wrong key gets 401 and no run', async () => {
	await stack.main.activate('idmtCallbackSms1');
	const workflow = await stack.main.api('GET', '/workflows/idmtCallbackSms1');
	const trigger = workflow.body.nodes.find((x: any) => x.type === `${PACKAGE}.identomatCallbackTrigger`);
	const webhookPath = `${trigger.webhookId}/webhook`;
	await stack.waitForWebhook(webhookPath);
	const url = `${stack.webhook.baseUrl}/webhook/${webhookPath}`;
	const body = { event: 'one-time-password-request', sessionId: 'queuesession', text: 'Your code is 654321', phoneNumber: '+995555000222' };

	const wrong = await sb.sendCallback(url, { ...body, callbackApiKey: 'wrong' });
	expect(wrong.status).toBe(401);
	const ok = await sb.sendCallback(url, { ...body, callbackApiKey: CALLBACK_KEY });
	expect(ok.status).toBe(200);
	const execution = await stack.main.waitForExecution('idmtCallbackSms1', { timeoutMs: 60_000 });
	ranOnWorker(execution);
	expect(itemsOf(execution, 'Compose SMS')[0].json).toEqual({ to: '+995555000222', message: 'Your code is 654321', sessionId: 'queuesession' });
	const list = await stack.main.api('GET', '/executions?workflowId=idmtCallbackSms1');
	expect(list.body.data).toHaveLength(1);
});

test("a worker killed in the middle of 200 writes (Concurrent Requests 10): the execution ends in n8n's error for a lost job and is not run again, no write was sent twice", async () => {
	await stack.main.activate('queueBulkWrite1');
	await stack.waitForWebhook('queue-bulk-write');
	// Each write takes a quarter of a second at Identomat: the run lasts about 5 s.
	sb.faults.add({ host: 'api', path: 'add-blacklist-record', kind: 'latency', delayMs: 250, times: Infinity });
	try {
		expect((await stack.webhook.http('POST', '/webhook/queue-bulk-write', {})).status).toBe(200);
		await until('a quarter of the writes', () => requestsTo('add-blacklist-record').length >= 50);
		const [running] = (await stack.main.api('GET', '/executions?workflowId=queueBulkWrite1')).body.data;
		const worker = stack.workerOf(running.id)!;
		expect(worker).toBeDefined();
		await worker.service.stop('SIGKILL');
		const sentBeforeKill = requestsTo('add-blacklist-record').length;
		process.stderr.write(`bulk writes: killed ${worker.name} running execution ${running.id} after ${sentBeforeKill} of 200 writes\n`);
		expect(sentBeforeKill).toBeLessThan(200);

		// What the user sees: once the dead worker's lock on the job runs out, main ends the
		// execution with n8n's own message; it is not retried elsewhere.
		const execution = await until('the execution to end', async () => {
			const current = (await stack.main.api('GET', `/executions/${running.id}?includeData=true`)).body;
			return ['new', 'running'].includes(current.status) ? undefined : current;
		});
		process.stderr.write(`bulk writes: execution ${running.id} ended ${execution.status}: ${JSON.stringify(execution.data?.resultData?.error ?? null)}\n`);
		expect(execution.status).toBe('error');
		expect(execution.data.resultData.error.message).toMatch(/^This execution failed to be processed too many times and will no longer retry/);
		expect(stack.workerOf(running.id)).toBe(worker); // the other worker did not take it up again
		expect(Object.keys(execution.data.resultData.runData ?? {})).not.toContain('Blacklist Add'); // no output of the node kept

		// Every write reached Identomat at most once.
		const documentNumbers = requestsTo('add-blacklist-record').map((r) => r.fields.query.documentNumber);
		expect(documentNumbers.length).toBeLessThan(200);
		expect(new Set(documentNumbers).size).toBe(documentNumbers.length);
	} finally {
		sb.faults.clear();
	}
});

test('the Identomat Trigger on main, main killed (SIGKILL) in the middle of a poll and started again: every change comes out once, on a worker', async () => {
	await firstChanges;
	const firstRound = [...changes];
	await until('the first changes to come out', async () => {
		const { items } = await emitted();
		return firstRound.every((c) => items.includes(c));
	});

	// More changes; the next poll is held at Identomat for 10 s, and main is killed while it waits.
	change(monitored.slice(3, 6));
	const polls = requestsTo(POLL_PATH).length;
	sb.faults.add({ host: 'api', path: POLL_PATH, kind: 'latency', delayMs: 10_000, times: 1 });
	const held = await until('the next poll', () => requestsTo(POLL_PATH)[polls]);
	await stack.main.kill();
	await stack.main.start();
	// The poll main was making when it died was never answered: the trigger polls from main.
	expect(held.status).toBeNull();

	const result = await until('the changes made before the kill to come out', async () => {
		const out = await emitted();
		return changes.every((c) => out.items.includes(c)) ? out : undefined;
	});
	process.stderr.write(`Identomat Trigger: ${result.items.length} items in ${result.workers.length} executions (${result.workers.join(', ')}), ${requestsTo(POLL_PATH).length} polls\n`);
	// each change once, nothing twice, every run on a worker
	expect(result.items.filter((i) => changes.includes(i)).sort()).toEqual([...changes].sort());
	expect(new Set(result.items).size).toBe(result.items.length);
	expect(result.workers.every(Boolean)).toBe(true);
});
