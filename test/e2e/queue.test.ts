/**
 * End to end in n8n's queue mode, as companies run it at volume (test/e2e/queue.ts): PostgreSQL,
 * Redis, one main (`EXECUTIONS_MODE=queue`), two `n8n worker`s and one `n8n webhook` processor,
 * each with its own user folder and the packed package installed, binary data in the database.
 *
 * Every scenario checks where it ran, not only what came out: executions ran on a worker (its
 * log says "Worker started execution <id>"), webhooks and resume calls were answered on the
 * webhook processor's port (main serves no production webhooks here), the polling trigger ran on
 * main (its polls stop while main is down).
 */
import { createHash, randomUUID } from 'node:crypto';

import { CALLBACK_KEY, CREDENTIAL, credentials, exampleWorkflows, allResourcesWorkflow, identomat, node, PACKAGE } from './identomat-workflows';
import { packageTarball } from './n8n';
import { startQueueStack, type QueueStack } from './queue';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSandbox } = require('../sandbox');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { videoSource } = require('../sandbox/media');

const MB = 1024 * 1024;
const VIDEO_BYTES = 50 * MB;
const RECORDING_BYTES = 5 * MB;
const RECORDINGS = 3;
const MONITOR = 'idmtMonitorAlert';
const POLL_PATH = 'list-screening-monitoring-records';

let sb: any;
let stack: QueueStack;

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

/** The execution ran on one of the workers: which one, by its own log (and never on main). */
function ranOnWorker(execution: { id: string | number }): string {
	const worker = stack.workerOf(execution.id);
	if (!worker) throw new Error(`no worker log says it started execution ${execution.id}`);
	expect(stack.main.logs()).not.toMatch(new RegExp(`Worker started execution ${execution.id} `));
	return worker.name;
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
	sb = await startSandbox({ port: 0, videoBytes: VIDEO_BYTES, recordingBytes: RECORDING_BYTES, recordingCount: RECORDINGS });
	stack = await startQueueStack({ packageTarball: packageTarball(), workers: 2 });
	await stack.main.importCredentials(credentials(sb));
	await stack.main.importWorkflows([...exampleWorkflows(sb.url), everyResourceWorkflow(), bulkWriteWorkflow()]);
	// The polling trigger first: n8n polls once a minute at most, so its first polls pass while the other scenarios run.
	await stack.main.activate(MONITOR);
});

afterAll(async () => {
	await stack?.dispose();
	await sb?.close();
});

test('the stack: main, two workers and a webhook processor on one PostgreSQL and Redis, binary data in the database', async () => {
	expect(stack.main.version).toBe('2.41.1');
	expect(stack.workers.map((w) => w.service.logs())).toEqual([expect.stringMatching(/Concurrency: 5/), expect.stringMatching(/Concurrency: 5/)]);
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
