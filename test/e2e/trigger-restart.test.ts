/**
 * The Identomat Trigger under `n8n start` (n8n 2.41.1) with n8n's durable scheduler and durable
 * poll cursors on, fed changes by the sandbox before activation, between polls, and while n8n is
 * stopped; n8n is then started again on the same user folder. Every change made after
 * activation comes out exactly once, none made before it does.
 *
 * n8n 2.41.1's settings for this (packages/@n8n/config scheduler.config):
 *   N8N_SCHEDULER_ENABLED, N8N_SCHEDULER_POLL_TRIGGERS_ENABLED (and the publication service,
 *   N8N_USE_WORKFLOW_PUBLICATION_SERVICE, on by default) hand poll triggers to the durable
 *   scheduler; N8N_POLLER_DURABLE_CURSORS_ENABLED then keeps the trigger's state in the
 *   `poller_state` table, committed with the execution it starts.
 * Polls run once a minute (n8n's shortest interval), so this test takes about four minutes.
 */
import { DatabaseSync } from 'node:sqlite';
import * as path from 'node:path';

import { CREDENTIAL, credentials } from '../../harness/identomat-workflows';
import { createN8n, disposeAll, n8nVersion, packageTarball, type N8nInstance } from '../../harness/n8n';

import { sandboxForFile } from '../helpers/sandbox';

const WORKFLOW_ID = 'idmtTriggerRestart';
const TRIGGER = 'Identomat Trigger';
const LIST = 'list-screening-monitoring-records';

const workflow = {
	id: WORKFLOW_ID,
	name: 'Identomat Trigger across a restart',
	active: false,
	nodes: [
		{
			id: '5f0c7d2e-0b1a-4c59-9d5e-trigger00001',
			name: TRIGGER,
			type: 'n8n-nodes-identomat.identomatTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				event: 'screeningMonitoringUpdated',
				pollTimes: { item: [{ mode: 'everyMinute' }] },
			},
			credentials: { identomatApi: CREDENTIAL },
		},
	],
	connections: {},
	settings: { executionOrder: 'v1' },
};

const sb = sandboxForFile();
let n8n: N8nInstance;

beforeAll(async () => {
	n8n = await createN8n({
		major: 2,
		packageTarball: packageTarball(),
		env: {
			N8N_SCHEDULER_ENABLED: 'true',
			N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true',
			N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true',
			N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true',
		},
	});
	await n8n.importCredentials(credentials(sb));
	await n8n.importWorkflows([workflow]);
});

afterAll(async () => {
	await disposeAll();
});

async function sleep(ms: number) {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

/** The list requests the trigger made so far. */
const listReads = () => (sb.requests as any[]).filter((r) => r.path === LIST).length;

async function untilTrue(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number) {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) {
			const reads = (sb.requests as any[])
				.filter((r) => r.path === LIST)
				.map((r) => `${r.time} date=${r.fields.date} start=${r.fields.start} -> ${r.status}`);
			throw new Error(
				`waited ${timeoutMs} ms for ${what}; list reads:\n${reads.join('\n')}\nlog:\n${n8n
					.logs()
					.split('\n')
					.filter((l) => /poll|cursor|schedul|Identomat|trigger/i.test(l))
					.slice(-60)
					.join('\n')}`,
			);
		}
		await sleep(500);
	}
}

/** Every (record, update date) the trigger's executions put out, in order, duplicates kept. */
async function emittedVersions(): Promise<string[]> {
	const list = await n8n.api('GET', `/executions?workflowId=${WORKFLOW_ID}&limit=100`);
	expect(list.status).toBe(200);
	const out: string[] = [];
	for (const execution of [...(list.body.data as any[])].reverse()) {
		const full = await n8n.api('GET', `/executions/${execution.id}?includeData=true`);
		const runs = full.body?.data?.resultData?.runData?.[TRIGGER] ?? [];
		for (const run of runs)
			for (const item of run.data?.main?.[0] ?? [])
				out.push(`${item.json.id}|${item.json.lastUpdatedDate}`);
	}
	return out;
}

function touch(ids: string[]): string[] {
	const at = new Date();
	sb.monitoring.touch(ids, at);
	return ids.map((id) => `${id}|${at.toISOString()}`);
}

/** The trigger's row in n8n's `poller_state` table (read while n8n is stopped). */
function durableCursor(): Record<string, any> | undefined {
	const db = new DatabaseSync(path.join(n8n.n8nFolder, 'database.sqlite'), { readOnly: true });
	try {
		const row = db
			.prepare('SELECT "cursor" FROM poller_state WHERE "workflowId" = ?')
			.get(WORKFLOW_ID) as { cursor?: string } | undefined;
		return row?.cursor === undefined ? undefined : JSON.parse(row.cursor);
	} finally {
		db.close();
	}
}

test(`n8n ${n8nVersion(2)}, durable poll cursors: every change once across a stop and start of n8n`, async () => {
	const ids: string[] = sb.monitoring.seed(40);
	const beforeActivation = touch(ids.slice(0, 5));
	await n8n.start();
	const readsAtStart = listReads();
	await n8n.activate(WORKFLOW_ID);
	// n8n 2.41.1 runs one poll at activation but, with durable cursors, keeps nothing it stored
	// (PollTriggerExecutor commits no cursor for that test-mode poll): the first scheduled poll,
	// within a minute, is where the trigger starts counting.
	await untilTrue('the first scheduled poll', () => listReads() >= readsAtStart + 2, 90_000);
	const probes = (sb.requests as any[]).filter((r) => r.path === LIST).slice(readsAtStart);
	const restarted = probes.filter(
		(r) => Date.parse(r.time) - Date.parse(r.fields.date) > 10 * 60_000,
	).length;
	process.stderr.write(
		`trigger-restart: ${restarted} of the first 2 polls started without a stored state\n`,
	);

	// Changes between polls: the next poll emits them.
	await sleep(1500);
	const first = touch(ids.slice(5, 10));
	await untilTrue(
		'an execution with the first changes',
		async () => (await emittedVersions()).length >= first.length,
		90_000,
	);

	// Changes right after a poll, then n8n stops before the next one; more while it is down.
	const readsBeforeStop = listReads();
	const beforeStop = touch(ids.slice(10, 15));
	await n8n.stop();
	expect(listReads()).toBe(readsBeforeStop);
	const cursor = durableCursor();
	expect(cursor?.state?.cursor).toEqual(expect.any(String)); // the trigger's state lives in poller_state
	const whileDown = touch([...ids.slice(15, 20), ids[5]]);

	await n8n.start();
	const expected = [...first, ...beforeStop, ...whileDown];
	await untilTrue(
		'the changes made before and during the stop',
		async () => (await emittedVersions()).length >= expected.length,
		120_000,
	);
	await sleep(2000);
	const emitted = await emittedVersions();
	expect(emitted.filter((v) => beforeActivation.includes(v))).toEqual([]);
	expect(new Set(emitted).size).toBe(emitted.length);
	expect([...emitted].sort()).toEqual([...expected].sort());
});
