/**
 * `npm run bench:queue [-- --quick]` (scripts/bench.sh runs it after bench/main.ts): the figures
 * of a real n8n 2.41.1 with the packed package, against the sandbox on 127.0.0.1:
 *
 *   Q1  1,000 executions of Session → Get Result through the webhook processor and one, then two
 *       workers (queue mode, harness/queue.ts);
 *   Q2  peak memory of a worker for the 200 MB liveness video in `database` mode, from our node
 *       and from n8n's HTTP Request node downloading the same file, and of one `n8n start`
 *       process for our node in `filesystem` mode;
 *   Q3  in that one process: our node with Concurrent Requests N against n8n's HTTP Request node
 *       with Batching N items per batch (the same requests in flight), N = 1, 10, 100.
 *
 * Writes its section into BENCHMARKS.md between the queue-bench markers (`--quick`: small sizes,
 * into .cache/bench/BENCHMARKS.quick.md). Needs E2E_PACKAGE_TARBALL (bench.sh packs it).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { CREDENTIAL, credentials, identomat, node } from '../harness/identomat-workflows';
import { createN8n, disposeAll, packageTarball, type N8nInstance } from '../harness/n8n';
import { startQueueStack, type QueueStack } from '../harness/queue';
import type { Sandbox, StartSandbox } from '../sandbox/types.ts';
import { machine, MB, median, render, type Row } from './lib';

const ROOT = process.env.BENCH_ROOT ?? process.cwd();
const quick = process.argv.includes('--quick');
/** `--only=q2,q3`: some sections only (printed, BENCHMARKS.md is not written). */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).toLowerCase().split(',');
const want = (section: string) => !only || only.includes(section);
const SIZES = quick
	? { executions: 100, warmup: 20, inFlight: 20, videoMB: 20, rounds: 1, items: 200, latencyItems: 40 }
	: { executions: 1000, warmup: 50, inFlight: 40, videoMB: 200, rounds: 3, items: 1000, latencyItems: 200 };
const LATENCY_MS = 50;
const START = '<!-- queue-bench: written by `npm run bench:queue` (bench/queue.ts) -->';
const END = '<!-- /queue-bench -->';

// The sandbox runs from its TypeScript source (Node 24 strips the types), as in the tests and the
// demo; only its types are compiled with the bench.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSandbox } = require(path.join(ROOT, 'sandbox/index.ts')) as { startSandbox: StartSandbox };

function log(text: string) {
	process.stderr.write(`[bench:queue ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

// ---------------------------------------------------------------------------------------------
// Workflows: each starts with a production webhook answering with its last node's first item.

function hooked(id: string, webhookPath: string, chain: Array<ReturnType<typeof node>>) {
	const hook = node('Webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} }, 0, 0, { webhookId: randomUUID() });
	const nodes = [hook, ...chain];
	const connections: Record<string, unknown> = {};
	for (let i = 1; i < nodes.length; i++) connections[nodes[i - 1].name] = { main: [[{ node: nodes[i].name, type: 'main', index: 0 }]] };
	return { id, name: `Bench: ${webhookPath}`, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

const getResult = (params: object = {}) =>
	identomat('Get Result', 220, 0, 'session', 'getResult', { sessionId: '={{ $json.sessionId ?? $json.body.sessionId }}', simplify: true, ...params }, { executeOnce: false });

/** The ids posted in the body, one item each. */
const fanOut = () => node('Items', 'n8n-nodes-base.code', 2, { mode: 'runOnceForAllItems', jsCode: 'return $json.body.ids.map((sessionId) => ({ json: { sessionId } }));' }, 110, 0);

/**
 * n8n's HTTP Request node as a user would set it up for the same call, N items per batch. Its
 * batching only waits `batchInterval` ms before each batch is started; it never waits for a batch
 * to be answered, so with interval 0 it does nothing and every item is in flight at once.
 */
function httpRequest(sb: Sandbox, batchSize: number, batchInterval: number) {
	return node('HTTP Request', 'n8n-nodes-base.httpRequest', 4.2, {
		method: 'POST',
		url: `${sb.widgetBaseUrl}/result/`,
		authentication: 'predefinedCredentialType',
		nodeCredentialType: 'identomatApi',
		sendBody: true,
		contentType: 'json',
		specifyBody: 'keypair',
		bodyParameters: { parameters: [{ name: 'session_token', value: '={{ $json.sessionId }}' }] },
		options: { batching: { batch: { batchSize, batchInterval } } },
	}, 220, 0, { credentials: { identomatApi: CREDENTIAL } });
}

/** n8n's HTTP Request node downloading the liveness video as a user would (Response Format: File). */
function httpVideo(sb: Sandbox) {
	return node('HTTP Request', 'n8n-nodes-base.httpRequest', 4.2, {
		method: 'POST',
		url: `${sb.widgetBaseUrl}/result/face-video/`,
		authentication: 'predefinedCredentialType',
		nodeCredentialType: 'identomatApi',
		sendBody: true,
		contentType: 'json',
		specifyBody: 'keypair',
		bodyParameters: { parameters: [{ name: 'session_token', value: '={{ $json.body.sessionId }}' }] },
		options: { response: { response: { responseFormat: 'file', outputPropertyName: 'video' } } },
	}, 220, 0, { credentials: { identomatApi: CREDENTIAL } });
}

const N = [1, 10, 100];

/** Q3 runs at these latencies; the HTTP Request node waits as long between batches, so about N requests are in flight (1 ms on loopback: 0 turns batching off). */
const LATENCIES = [0, LATENCY_MS];
const interval = (latency: number) => Math.max(latency, 1);
const q3Id = (kind: 'ours' | 'http', n: number, latency: number) => `bench${kind}${n}x${kind === 'http' ? interval(latency) : 0}`.padEnd(16, '0');
const q3Path = (kind: 'ours' | 'http', n: number, latency: number) => `bench-${kind}-${n}${kind === 'http' ? `-every-${interval(latency)}ms` : ''}`;

function workflows(sb: Sandbox) {
	return [
		hooked('benchGetResult1', 'bench-get-result', [getResult()]),
		hooked('benchVideo00001', 'bench-video', [identomat('Get Face Video', 220, 0, 'media', 'getFaceVideo', { sessionId: '={{ $json.body.sessionId }}', binaryPropertyName: 'video' })]),
		hooked('benchVideoHttp1', 'bench-video-http', [httpVideo(sb)]),
		...N.map((n) => hooked(q3Id('ours', n, 0), q3Path('ours', n, 0), [fanOut(), getResult({ requestOptions: { concurrency: n } })])),
		...N.flatMap((n) => LATENCIES.map((l) => hooked(q3Id('http', n, l), q3Path('http', n, l), [fanOut(), httpRequest(sb, n, interval(l))]))),
	];
}

// ---------------------------------------------------------------------------------------------
// Measuring

async function post(n8n: N8nInstance, webhookPath: string, body: object) {
	const res = await n8n.http('POST', `/webhook/${webhookPath}`, body);
	if (res.status !== 200) throw new Error(`POST /webhook/${webhookPath}: ${res.status} ${res.text.slice(0, 500)}`);
	return res.body;
}

/** `count` webhook calls, `inFlight` at a time; resolves with the seconds it took. */
async function calls(n8n: N8nInstance, webhookPath: string, ids: string[], count: number, inFlight: number): Promise<number> {
	let next = 0;
	const started = process.hrtime.bigint();
	await Promise.all(
		Array.from({ length: inFlight }, async () => {
			while (next < count) {
				const sessionId = ids[next++ % ids.length];
				const out = await post(n8n, webhookPath, { sessionId });
				if (out?.result !== 'approved') throw new Error(`unexpected answer ${JSON.stringify(out).slice(0, 300)}`);
			}
		}),
	);
	return Number(process.hrtime.bigint() - started) / 1e9;
}

/** The n8n process under a supervisor (harness/n8n.ts starts every n8n in a bash wrapper). */
function n8nPid(supervisorPid: number): number {
	const children = readFileSync(`/proc/${supervisorPid}/task/${supervisorPid}/children`, 'utf8').trim().split(/\s+/).map(Number);
	const pid = children.find((c) => readFileSync(`/proc/${c}/cmdline`, 'utf8').includes('n8n'));
	if (!pid) throw new Error(`no n8n process under ${supervisorPid}`);
	return pid;
}

function memoryMB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
	const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
	return Number(line!.split(/\s+/)[1]) / 1024;
}

/**
 * Peak resident memory of a process above its resting figure while `run` runs: the kernel's
 * high-water mark (VmHWM), reset just before (`clear_refs` 5), so nothing between samples is
 * missed. Once only per process: memory a process took for a large file stays with it (the
 * allocator keeps it), so a second file would find it there and show almost nothing.
 */
async function peakAbove(pid: number, run: () => Promise<unknown>): Promise<number> {
	writeFileSync(`/proc/${pid}/clear_refs`, '5');
	const resting = memoryMB(pid, 'VmRSS');
	await run();
	return memoryMB(pid, 'VmHWM') - resting;
}

/** The video's first download in a process that has run only small executions (SIZES.warmup × Get Result). */
async function videoPeak(n8n: N8nInstance, pid: number, ids: string[], videoSession: string, webhookPath = 'bench-video'): Promise<number> {
	await calls(n8n, 'bench-get-result', ids, SIZES.warmup, 1);
	return await peakAbove(pid, async () => await post(n8n, webhookPath, { sessionId: videoSession }));
}

// ---------------------------------------------------------------------------------------------

async function queueFigures(sb: Sandbox, ids: string[], videoSession: string, rows: Row[]): Promise<{ ours: number; http: number }> {
	log('queue mode: PostgreSQL, Redis, main, webhook processor, one worker');
	const stack: QueueStack = await startQueueStack({ packageTarball: packageTarball(), workers: 1 });
	try {
		await stack.main.importCredentials(credentials(sb));
		await stack.main.importWorkflows(workflows(sb));
		for (const id of ['benchGetResult1', 'benchVideo00001', 'benchVideoHttp1']) await stack.main.activate(id);
		for (const webhookPath of ['bench-get-result', 'bench-video', 'bench-video-http']) await stack.waitForWebhook(webhookPath);

		// Q2 first, while the one worker has run small executions only (see peakAbove)
		const databasePeak = { ours: NaN, http: NaN };
		if (want('q2')) {
			log(`Q2. ${SIZES.videoMB} MB video on a worker, database mode: Identomat node`);
			databasePeak.ours = await videoPeak(stack.webhook, n8nPid(stack.workers[0].service.pid), ids, videoSession);
			// The same file through the HTTP Request node needs a worker that has not held a large
			// file yet, and the only one to take the job: the first worker gives way to a new one.
			await stack.replaceWorker(stack.workers[0]);
			log(`Q2. ${SIZES.videoMB} MB video on a new worker, database mode: HTTP Request node`);
			databasePeak.http = await videoPeak(stack.webhook, n8nPid(stack.workers[0].service.pid), ids, videoSession, 'bench-video-http');
		}

		const q1 = `Q1. Queue mode: ${fmt(SIZES.executions)} executions of Webhook → Session → Get Result, posted ${SIZES.inFlight} at a time to the webhook processor`;
		const rates: number[] = [];
		for (const workers of want('q1') ? [1, 2] : []) {
			if (workers === 2) await stack.addWorker();
			await calls(stack.webhook, 'bench-get-result', ids, SIZES.warmup, SIZES.inFlight);
			log(`Q1. ${SIZES.executions} executions, ${workers} worker(s)`);
			const seconds = await calls(stack.webhook, 'bench-get-result', ids, SIZES.executions, SIZES.inFlight);
			rates.push(SIZES.executions / seconds);
			rows.push({
				section: q1,
				what: `${workers} worker${workers > 1 ? 's' : ''} (n8n's default concurrency, 10 each)`,
				figure: `${fmt(rates[rates.length - 1], 1)} items/s (${fmt(seconds, 1)} s)`,
				compare: workers === 1 ? '1.00' : `×${fmt(rates[1] / rates[0], 2)} vs 1 worker`,
			});
		}
		return databasePeak;
	} finally {
		await stack.dispose();
	}
}

async function oneProcessFigures(sb: Sandbox, ids: string[], videoSession: string, rows: Row[]) {
	log('one process: n8n start, SQLite, filesystem mode');
	const n8n = await createN8n({ major: 2, binaryDataMode: 'filesystem', packageTarball: packageTarball() });
	try {
		await n8n.importCredentials(credentials(sb));
		await n8n.importWorkflows(workflows(sb));
		await n8n.start();
		for (const wf of workflows(sb)) {
			await n8n.activate(wf.id, { webhookPaths: [(wf.nodes[0].parameters as { path: string }).path] });
		}

		log(`Q2. ${SIZES.videoMB} MB video in one process, filesystem mode`);
		const filesystemPeak = want('q2') ? await videoPeak(n8n, n8nPid(n8n.serverPid!), ids, videoSession) : NaN;

		for (const latency of want('q3') ? LATENCIES : []) {
			const count = latency ? SIZES.latencyItems : SIZES.items;
			const section = `Q3. One process: ${fmt(count)} × Get Result${latency ? `, ${latency} ms server latency` : ', loopback'}; time of the node as n8n measured it (median of ${SIZES.rounds})`;
			sb.setLatency(latency);
			const rate: Record<string, number> = {};
			for (const n of N) {
				for (const kind of ['ours', 'http'] as const) {
					log(`Q3. ${kind} N=${n}, ${count} items, ${latency} ms latency`);
					const workflowId = q3Id(kind, n, latency);
					const nodeName = kind === 'ours' ? 'Get Result' : 'HTTP Request';
					const times: number[] = [];
					for (let round = 0; round < SIZES.rounds; round++) {
						const before = (await n8n.api('GET', `/executions?workflowId=${workflowId}&limit=1`)).body.data[0]?.id ?? '0';
						await post(n8n, q3Path(kind, n, latency), { ids: ids.slice(0, count) });
						const execution = await n8n.waitForExecution(workflowId, { after: before, status: 'success' });
						times.push(execution.data.resultData.runData[nodeName][0].executionTime);
					}
					rate[`${kind}${n}`] = count / (median(times) / 1000);
				}
				rows.push(
					{ section, what: `Identomat node, Concurrent Requests ${n}`, figure: `${fmt(rate[`ours${n}`], 1)} items/s`, compare: `ours/(a) ${fmt(rate[`ours${n}`] / rate[`http${n}`], 2)}` },
					{ section, what: `(a) HTTP Request node 4.2, Batching: ${n} item${n > 1 ? 's' : ''} per batch, ${interval(latency)} ms batch interval`, figure: `${fmt(rate[`http${n}`], 1)} items/s`, compare: '' },
				);
			}
		}
		sb.setLatency(0);
		return filesystemPeak;
	} finally {
		await n8n.dispose();
	}
}

async function main() {
	const started = Date.now();
	// The machine is shared: its load when the run began goes next to the figures.
	const load = os.loadavg()[0];
	const sb = await startSandbox({ port: 0, videoBytes: SIZES.videoMB * MB, log: false });
	const rows: Row[] = [];
	try {
		const ids: string[] = Array.from({ length: Math.max(SIZES.items, 100) }, () => sb.createCompletedSession({ result: 'approved' }));
		const videoSession = sb.createCompletedSession({ result: 'approved' });
		const databasePeak = await queueFigures(sb, ids, videoSession, rows);
		const filesystemPeak = await oneProcessFigures(sb, ids, videoSession, rows);
		const q2 = `Q2. Peak memory for the ${SIZES.videoMB} MB liveness video, above the resting process (kernel high-water mark; the first such file in a process that had run ${SIZES.warmup} small executions)`;
		if (want('q2')) rows.splice(want('q1') ? 2 : 0, 0,
			{ section: q2, what: 'Identomat node (Get Liveness Video), a worker, queue mode, `database` binary data mode', figure: `+${fmt(databasePeak.ours)} MB`, compare: `ours/(b) ${fmt(databasePeak.ours / databasePeak.http, 2)}; ×${fmt(databasePeak.ours / filesystemPeak, 1)} the filesystem figure` },
			{ section: q2, what: "(b) n8n's HTTP Request node 4.2 (Response Format: File) downloading the same file, a worker, queue mode, `database` mode", figure: `+${fmt(databasePeak.http)} MB`, compare: '' },
			{ section: q2, what: 'Identomat node, one `n8n start` process, `filesystem` mode', figure: `+${fmt(filesystemPeak)} MB`, compare: '1.00' },
		);
	} finally {
		await disposeAll();
		await sb.close();
	}

	const who = machine();
	const section = [
		START,
		'',
		'## n8n itself: queue mode and one process',
		'',
		`Measured by \`npm run bench:queue\`${quick ? ' --quick (smoke sizes)' : ''} on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC in ${fmt((Date.now() - started) / 1000)} s, in a real n8n 2.41.1`,
		`with the packed package (queue mode: PostgreSQL and Redis from Debian, main, one \`n8n webhook\`, \`n8n worker\`s; one process: \`n8n start\` on SQLite),`,
		`everything on this machine (${who.cores} cores, ${who.ramGB} GB RAM, ${who.cpu}; load average ${fmt(load, 1)} when the run began), against the sandbox on 127.0.0.1.`,
		'',
		render(rows),
		'',
		'Notes:',
		'',
		'- Q1: every execution is one webhook call answered by its last node, so the figure includes what n8n does per execution in queue mode (the webhook processor enqueues it in Redis, a worker loads workflow and credential from PostgreSQL, runs it, saves it, and the answer travels back through Redis). On two cores shared by PostgreSQL, Redis, main, the webhook processor, the workers and the sandbox, a second worker has little CPU to add: its ratio says what scaling out buys on one small machine, not on several.',
		"- Q2: in `database` mode n8n keeps each file as one value in PostgreSQL (`binary_data` table), so a worker holds the whole file in memory while it stores or reads it, whichever node downloaded it: row (b) is n8n's own HTTP Request node downloading the same file with our credential, each row on a worker that had held no large file before (the first worker is stopped and a new one started between the two), so the ratio says how much of the peak is n8n's. The `filesystem` figure is the streamed download the node does everywhere (BENCHMARKS section 3). n8n refuses files above `N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE` (MiB; default 512, at most 1024) in `database` mode: for larger recordings raise it (up to 1024) and give the workers the memory this row shows per file in flight, or use the `s3` mode (n8n Enterprise).",
		"- Q3: the time of that one node in the execution n8n saved (`executionTime`), so the webhook and the saving are not in it. The HTTP Request node's Batching does not wait for a batch's answers: it starts N requests, waits the batch interval, starts the next N (interval 0 switches it off: every item at once). So the interval is set to the server's latency (1 ms on loopback), which keeps about N requests in flight, as Concurrent Requests N does by waiting for each answer. In section 1, where n8n-core serves the credential from memory, the HTTP Request node is ahead; here it is behind with 10 and 100 requests in flight, which fits n8n reading and decrypting the credential from the database for each of its requests, while our node reads it once per run (not profiled here).",
		'',
		END,
	].join('\n');
	process.stdout.write(`\n${render(rows)}\n`);
	if (only) return;
	const target = quick ? path.join(ROOT, '.cache/bench/BENCHMARKS.quick.md') : path.join(ROOT, 'BENCHMARKS.md');
	const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
	const at = current.indexOf(START);
	const end = current.indexOf(END);
	const doc = at >= 0 && end > at ? current.slice(0, at) + section + current.slice(end + END.length) : `${current.trimEnd()}\n\n${section}\n`;
	writeFileSync(target, doc);
	log(`written to ${path.relative(ROOT, target)} (${fmt((Date.now() - started) / 1000)} s)`);
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? error}\n`);
	process.exit(1);
});
