/**
 * One bench scenario, run in its own fresh process by bench/main.ts (memory figures are
 * process-wide, so each memory scenario gets a process of its own). Reads its configuration from
 * the JSON file named on the command line and prints one result line (RESULT_MARKER + JSON).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';

import { IdentomatTrigger } from '../nodes/IdentomatTrigger/IdentomatTrigger.node';
import { PollingTrigger } from '../harness/poll';
import { contextFor, itemWithFile, runNode, useBinaryMode } from '../harness/runner';
import { MB, machine, median, RESULT_MARKER, RssSampler } from './lib';

type Creds = { apiKey: string; widgetBaseUrl: string; apiBaseUrl: string };

interface Variant {
	label: string;
	kind: 'node' | 'httpNode' | 'helper' | 'undici';
	concurrency?: number;
}

const ROOT = process.env.BENCH_ROOT ?? process.cwd();

function fail(message: string): never {
	throw new Error(message);
}

/** Session → Get Result over the given session ids, one way or another; returns the outputs' results. */
async function runVariant(variant: Variant, creds: Creds, ids: string[]): Promise<unknown[]> {
	const items: INodeExecutionData[] = ids.map((id) => ({ json: { id } }));
	const nodeParameters = {
		resource: 'session',
		operation: 'getResult',
		sessionId: '={{ $json.id }}',
		output: 'simplified',
		requestOptions: variant.concurrency ? { concurrency: variant.concurrency } : {},
	};
	const url = `${creds.widgetBaseUrl}/result/`;
	switch (variant.kind) {
		case 'node': {
			const [out] = await runNode({ parameters: nodeParameters, credentials: creds, items });
			return out.map((item) => item.json.result);
		}
		case 'httpNode': {
			// n8n's HTTP Request node as a user would set it up: POST, our credential, a JSON body.
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const { HttpRequest } = require('n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node');
			const nodeType = new HttpRequest().getNodeType(4.2) as INodeType;
			const [out] = await runNode({
				nodeType,
				typeName: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: {
					method: 'POST',
					url,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'identomatApi',
					sendBody: true,
					contentType: 'json',
					specifyBody: 'keypair',
					bodyParameters: { parameters: [{ name: 'session_token', value: '={{ $json.id }}' }] },
					options: {},
				},
				credentials: creds,
				items,
			});
			return out.map((item) => item.json.result);
		}
		case 'helper': {
			// The same parameter read, then n8n's helper with our credential: what n8n costs anyway.
			const { context } = contextFor({ parameters: nodeParameters, credentials: creds, items });
			const results: unknown[] = [];
			for (let i = 0; i < items.length; i++) {
				const sessionId = context.getNodeParameter('sessionId', i) as string;
				const body = (await context.helpers.httpRequestWithAuthentication.call(context, 'identomatApi', {
					method: 'POST',
					url,
					body: { session_token: sessionId },
					json: true,
				})) as IDataObject;
				results.push(body.result);
			}
			return results;
		}
		case 'undici': {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const { request } = require('undici') as typeof import('undici');
			const results: unknown[] = [];
			for (const id of ids) {
				const response = await request(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ company_key: creds.apiKey, session_token: id }),
				});
				results.push(((await response.body.json()) as IDataObject).result);
			}
			return results;
		}
	}
}

async function throughput(config: { creds: Creds; ids: string[]; warmup: number; rounds: number; variants: Variant[] }) {
	await useBinaryMode('default');
	const rates: Record<string, number[]> = {};
	const cpu: Record<string, number[]> = {};
	for (const variant of config.variants) {
		const warm = await runVariant(variant, config.creds, config.ids.slice(0, config.warmup));
		if (warm.some((r) => r !== 'approved')) fail(`${variant.label}: unexpected results ${JSON.stringify(warm.slice(0, 3))}`);
		rates[variant.label] = [];
		cpu[variant.label] = [];
	}
	for (let round = 0; round < config.rounds; round++) {
		// interleaved: every variant once per round, in a rotating order
		const order = config.variants.map((_, i) => config.variants[(i + round) % config.variants.length]);
		for (const variant of order) {
			if (global.gc) global.gc();
			const started = process.hrtime.bigint();
			const cpuBefore = process.cpuUsage();
			const results = await runVariant(variant, config.creds, config.ids);
			const cpuUsed = process.cpuUsage(cpuBefore);
			const seconds = Number(process.hrtime.bigint() - started) / 1e9;
			cpu[variant.label].push((cpuUsed.user + cpuUsed.system) / config.ids.length);
			if (results.length !== config.ids.length || results.some((r) => r !== 'approved')) {
				fail(`${variant.label}: ${results.length} results, not all approved`);
			}
			rates[variant.label].push(config.ids.length / seconds);
		}
	}
	return Object.fromEntries(
		Object.entries(rates).map(([label, list]) => [
			label,
			{ itemsPerSec: median(list), runs: list, cpuMicrosPerItem: median(cpu[label]) },
		]),
	);
}

async function largeFile(config: { creds: Creds; mode: 'default' | 'filesystem'; kind: 'video' | 'archive'; sessionId: string; expectBytes: number; intervalMs: number }) {
	await useBinaryMode(config.mode);
	// warm the HTTP stack and the node's modules first
	await runNode({ parameters: { resource: 'session', operation: 'getResult', sessionId: config.sessionId }, credentials: config.creds });
	const parameters =
		config.kind === 'video'
			? { resource: 'media', operation: 'getFaceVideo', sessionId: config.sessionId }
			: { resource: 'videoCall', operation: 'getRecordings', sessionId: config.sessionId };
	const sampler = new RssSampler(config.intervalMs);
	sampler.start();
	const started = process.hrtime.bigint();
	const [out] = await runNode({ parameters, credentials: config.creds });
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const memory = sampler.stop();
	const files = out.flatMap((item) => Object.values(item.binary ?? {}));
	const bytes = files.reduce((sum, file) => sum + (file.bytes ?? 0), 0);
	if (bytes !== config.expectBytes) fail(`${config.kind}: ${bytes} bytes stored, expected ${config.expectBytes}`);
	return { ...memory, files: files.length, bytes, seconds, mbPerSec: bytes / MB / seconds };
}

/**
 * The floor of streaming in Node: the same video POSTed for with node:http and piped straight into
 * a file, no n8n. What stays above this figure is ours (or n8n's).
 */
async function floorDownload(config: { creds: Creds; sessionId: string; expectBytes: number; intervalMs: number }) {
	/* eslint-disable @typescript-eslint/no-require-imports */
	const http = require('node:http') as typeof import('node:http');
	const { createWriteStream, statSync } = require('node:fs') as typeof import('node:fs');
	const { pipeline } = require('node:stream/promises') as typeof import('node:stream/promises');
	const os = require('node:os') as typeof import('node:os');
	/* eslint-enable @typescript-eslint/no-require-imports */
	const target = path.join(os.tmpdir(), 'floor.webm');
	const body = JSON.stringify({ company_key: config.creds.apiKey, session_token: config.sessionId });
	const fetchTo = async () =>
		await new Promise<void>((resolve, reject) => {
			const request = http.request(`${config.creds.widgetBaseUrl}/result/face-video/`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
				pipeline(response, createWriteStream(target)).then(resolve, reject);
			});
			request.on('error', reject);
			request.end(body);
		});
	const sampler = new RssSampler(config.intervalMs);
	sampler.start();
	const started = process.hrtime.bigint();
	await fetchTo();
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const memory = sampler.stop();
	const bytes = statSync(target).size;
	if (bytes !== config.expectBytes) fail(`floor: ${bytes} bytes, expected ${config.expectBytes}`);
	return { ...memory, files: 1, bytes, seconds, mbPerSec: bytes / MB / seconds };
}

/** A valid JPEG (the card fixture) padded to `size` bytes with comment (COM) segments after SOI. */
function paddedJpeg(size: number): Buffer {
	const jpeg = readFileSync(path.join(ROOT, 'sandbox/fixtures/card-front.jpg'));
	const segments: Buffer[] = [jpeg.subarray(0, 2)];
	let total = jpeg.length;
	while (total < size) {
		const payload = Math.min(65533, Math.max(1, size - total - 4));
		const segment = Buffer.alloc(payload + 4, 0x2e);
		segment.writeUInt16BE(0xfffe, 0);
		segment.writeUInt16BE(payload + 2, 2);
		segments.push(segment);
		total += segment.length;
	}
	segments.push(jpeg.subarray(2));
	return Buffer.concat(segments);
}

async function upload(config: { creds: Creds; mode: 'default' | 'filesystem'; count: number; imageBytes: number; intervalMs: number; concurrency?: number }) {
	await useBinaryMode(config.mode);
	const image = paddedJpeg(config.imageBytes);
	const item = await itemWithFile({}, { data: { data: image, fileName: 'passport.jpg', mimeType: 'image/jpeg' } });
	const parameters = {
		resource: 'document',
		operation: 'readPassport',
		binaryPropertyName: 'data',
		requestOptions: config.concurrency ? { concurrency: config.concurrency } : {},
	};
	await runNode({ parameters, credentials: config.creds, items: [item] });
	const items = Array.from({ length: config.count }, () => ({ json: {}, binary: { ...item.binary } }));
	const sampler = new RssSampler(config.intervalMs);
	sampler.start();
	const started = process.hrtime.bigint();
	const [out] = await runNode({ parameters, credentials: config.creds, items });
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const memory = sampler.stop();
	if (out.length !== config.count || out.some((o) => o.json.error || !o.json.documentNumber)) fail('upload: not every item was read');
	return { ...memory, imageBytes: image.length, itemsPerSec: config.count / seconds, mbPerSec: (config.count * image.length) / MB / seconds, seconds };
}

async function controlRequest(base: string, method: string, route: string, body?: unknown) {
	const response = await fetch(`${base}/__sandbox/${route}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return (await response.json()) as unknown;
}

/** One poll, measured: records emitted, wall time, requests Identomat received, static data as n8n saves it. */
function countedPolls(trig: PollingTrigger, url: string) {
	return async () => {
		await controlRequest(url, 'DELETE', 'requests');
		const started = process.hrtime.bigint();
		const out = await trig.poll();
		const ms = Number(process.hrtime.bigint() - started) / 1e6;
		const requests = ((await controlRequest(url, 'GET', 'requests')) as Array<{ host: string }>).filter(
			(r) => r.host === 'api',
		).length;
		return { emitted: out?.length ?? 0, ms, requests, stateBytes: Buffer.byteLength(JSON.stringify(trig.saved())) };
	};
}

async function trigger(config: { creds: Creds; url: string; ids: string[]; changed: number; rounds: number }) {
	const trig = new PollingTrigger({
		nodeType: new IdentomatTrigger(),
		typeName: 'n8n-nodes-identomat.identomatTrigger',
		parameters: { event: 'screeningMonitoringUpdated' },
		credentials: config.creds,
	});
	const counted = countedPolls(trig, config.url);
	const first = await counted();
	const quiet: Array<{ ms: number; requests: number; emitted: number }> = [];
	const changed: typeof quiet = [];
	for (let round = 0; round < config.rounds; round++) {
		quiet.push(await counted());
		const picked = Array.from({ length: config.changed }, (_, i) => config.ids[(round * 997 + i * 613) % config.ids.length]);
		await controlRequest(config.url, 'POST', 'monitoring/touch', { ids: picked, date: new Date(Date.now() + 1000 * (round + 1)).toISOString() });
		const poll = await counted();
		if (poll.emitted !== config.changed) fail(`trigger: ${poll.emitted} emitted, expected ${config.changed}`);
		changed.push(poll);
	}
	return {
		monitored: config.ids.length,
		changed: config.changed,
		firstPoll: first,
		quiet: { ms: median(quiet.map((p) => p.ms)), requests: Math.max(...quiet.map((p) => p.requests)), emitted: Math.max(...quiet.map((p) => p.emitted)) },
		withChanges: { ms: median(changed.map((p) => p.ms)), requests: Math.max(...changed.map((p) => p.requests)), emitted: config.changed },
	};
}

/**
 * What the late-change bound costs: a quiet poll over the whole list, then a batch rescreen that
 * stamps `rescreened` people with its start and makes them visible over `showMinutes` minutes,
 * polled a minute apart (Identomat's clock moved on, no waiting) until the batch has left the
 * window. Per poll: requests, wall time, records emitted, the node's static data as n8n saves it.
 */
async function rescreen(config: { creds: Creds; url: string; ids: string[]; showMinutes: number; lateMinutes: number }) {
	const trig = new PollingTrigger({
		nodeType: new IdentomatTrigger(),
		typeName: 'n8n-nodes-identomat.identomatTrigger',
		parameters: { event: 'screeningMonitoringUpdated', options: { lateChangeMinutes: config.lateMinutes } },
		credentials: config.creds,
	});
	let offsetMs = 0;
	const minuteLater = async () => {
		offsetMs += 60_000;
		await controlRequest(config.url, 'POST', 'clock', { offsetMs });
	};
	const counted = countedPolls(trig, config.url);
	await counted(); // activation
	const quietPolls: Array<Awaited<ReturnType<typeof counted>>> = [];
	for (let i = 0; i < 5; i++) {
		await minuteLater();
		quietPolls.push(await counted());
	}
	const quiet = { ms: median(quietPolls.map((p) => p.ms)), requests: Math.max(...quietPolls.map((p) => p.requests)) };
	const batchStart = new Date(Date.now() + offsetMs).toISOString();
	const polls: Array<Awaited<ReturnType<typeof counted>>> = [];
	const part = Math.ceil(config.ids.length / config.showMinutes);
	let emitted = 0;
	for (let minute = 0; polls.length < 2 * config.lateMinutes + config.showMinutes + 3; minute++) {
		await minuteLater();
		const ids = config.ids.slice(minute * part, (minute + 1) * part);
		if (ids.length) await controlRequest(config.url, 'POST', 'monitoring/touch', { ids, date: batchStart });
		const poll = await counted();
		emitted += poll.emitted;
		polls.push(poll);
	}
	if (emitted !== config.ids.length) fail(`rescreen: ${emitted} emitted, expected ${config.ids.length}`);
	await controlRequest(config.url, 'POST', 'clock', { offsetMs: 0 });
	const busy = polls.filter((p) => p.requests > 1);
	return {
		quiet,
		polls: polls.length,
		emitted,
		busyPolls: busy.length,
		maxRequests: Math.max(...polls.map((p) => p.requests)),
		totalRequests: polls.reduce((n, p) => n + p.requests, 0),
		maxMs: Math.max(...polls.map((p) => p.ms)),
		totalMs: polls.reduce((n, p) => n + p.ms, 0),
		peakStateBytes: Math.max(...polls.map((p) => p.stateBytes)),
		finalStateBytes: polls[polls.length - 1].stateBytes,
		finalPoll: polls[polls.length - 1],
	};
}

async function main() {
	const [scenario, configPath] = process.argv.slice(2);
	const config = JSON.parse(readFileSync(configPath, 'utf8'));
	const scenarios: Record<string, (c: never) => unknown> = { throughput, largeFile, floorDownload, upload, trigger, rescreen };
	const run = scenarios[scenario] ?? fail(`unknown scenario ${scenario}`);
	const result = await run(config as never);
	process.stdout.write(`${RESULT_MARKER}${JSON.stringify({ result, machine: machine() })}\n`);
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`${(error as Error).stack ?? error}\n`);
		process.exit(1);
	},
);
