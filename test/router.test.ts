/**
 * The router: item order and pairing, Continue On Fail, and the "Concurrent Requests" option
 * (bounded, order and pairing preserved, failures handled as with one request at a time).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { resources } from '../nodes/Identomat/actions/resources';

import { ERROR_CODES } from '../nodes/shared/transport/errors';
import { runNode, useBinaryMode } from '../harness/runner';
import { credentialsOf, requestsTo, runOperation, sandboxForFile } from './helpers/sandbox';

const sb = sandboxForFile();
beforeAll(async () => await useBinaryMode('default'));

const resultRequests = () => requestsTo(sb, 'result/');

function getResults(ids: string[], requestOptions: IDataObject = {}, continueOnFail = false) {
	return runOperation(
		sb,
		'session',
		'getResult',
		{ sessionId: '={{ $json.id }}', output: 'simplified', requestOptions },
		{ continueOnFail, items: ids.map((id) => ({ id })) },
	);
}

/** Sessions whose result is their index, so the order of the output can be read back. */
function sessions(count: number) {
	return Array.from({ length: count }, (_, i) => sb.createCompletedSession({ result: `r${i}` }));
}

/** The most requests the sandbox had open at the same moment (from arrival times and latency). */
async function inFlightPeak(run: () => Promise<unknown>) {
	let open = 0;
	let peak = 0;
	const { requests } = sb;
	const original = requests.push.bind(requests);
	// every request is recorded on arrival; with latency L, it is open for L ms after that
	requests.push = (...entries) => {
		open += entries.length;
		peak = Math.max(peak, open);
		setTimeout(() => (open -= entries.length), 40);
		return original(...entries);
	};
	try {
		await run();
	} finally {
		requests.push = original;
	}
	return peak;
}

describe('one request at a time (default)', () => {
	test('order and pairing follow the input', async () => {
		const ids = sessions(5);
		const [out] = await getResults(ids);
		expect(out.map((item) => item.json.result)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
		expect(out.map((item) => item.pairedItem)).toEqual(ids.map((_, item) => ({ item })));
		expect(resultRequests().map((r) => r.fields.session_token)).toEqual(ids);
	});

	test('a failing item stops the run there, later items are not sent', async () => {
		const ids = sessions(4);
		ids[1] = 'missingsession'.padEnd(40, '0');
		await expect(getResults(ids)).rejects.toThrow('Session → Get Result: Identomat has no session with this ID');
		expect(resultRequests()).toHaveLength(2);
	});
});

describe.each([2, 4, 10, 100])('Concurrent Requests: %i', (concurrency) => {
	test('order and pairing are kept although answers arrive out of order', async () => {
		const ids = sessions(12);
		// the first items answer last
		sb.faults.add({ path: 'result/', kind: 'latency', delayMs: 150, times: 3 });
		const [out] = await getResults(ids, { concurrency });
		expect(out.map((item) => item.json.result)).toEqual(ids.map((_, i) => `r${i}`));
		expect(out.map((item) => item.json.sessionId)).toEqual(ids);
		expect(out.map((item) => item.pairedItem)).toEqual(ids.map((_, item) => ({ item })));
		expect(resultRequests()).toHaveLength(12);
	});

	test('no more than that many requests are open at once', async () => {
		const ids = sessions(12);
		sb.setLatency(40);
		const peak = await inFlightPeak(() => getResults(ids, { concurrency }));
		expect(peak).toBeLessThanOrEqual(concurrency);
		expect(peak).toBeGreaterThanOrEqual(Math.min(concurrency, 2));
	});

	test('Continue On Fail: the failing items become error items paired to their input, the others complete', async () => {
		const ids = sessions(8);
		ids[2] = 'missinga'.padEnd(40, '0');
		ids[5] = 'missingb'.padEnd(40, '0');
		const [out] = await getResults(ids, { concurrency }, true);
		expect(out).toHaveLength(8);
		expect(out.map((item) => item.pairedItem)).toEqual(ids.map((_, item) => ({ item })));
		for (const [i, item] of out.entries()) {
			if (i === 2 || i === 5) {
				expect(item.json).toEqual({
					error: 'Session → Get Result: Identomat has no session with this ID',
					description: ERROR_CODES['session-not-found'].hint,
					code: 'session-not-found',
				});
			} else {
				expect(item.json.result).toBe(`r${i}`);
			}
		}
	});

	test('the failing items carry their error as n8n\'s "Continue (using error output)" routes them: item.error', async () => {
		const ids = sessions(3);
		ids[1] = 'missinga'.padEnd(40, '0');
		const [out] = await getResults(ids, { concurrency }, true);
		expect(out[1].error?.message).toBe('Session → Get Result: Identomat has no session with this ID');
		expect(out[0].error).toBeUndefined();
		expect(out[2].error).toBeUndefined();
	});

	test('without Continue On Fail the lowest failing item is raised and no new item starts', async () => {
		const ids = sessions(20);
		ids[3] = 'missinga'.padEnd(40, '0');
		ids[4] = 'missingb'.padEnd(40, '0');
		sb.setLatency(20);
		const error = await getResults(ids, { concurrency }).then(
			() => undefined,
			(e: Error & { context?: IDataObject }) => e,
		);
		expect(error?.message).toBe('Session → Get Result: Identomat has no session with this ID');
		expect(error?.context?.itemIndex).toBe(3);
		// items up to the failure plus at most the ones already in flight
		expect(resultRequests().length).toBeLessThanOrEqual(4 + concurrency);
	});
});

test('Concurrent Requests above 100 or below 1 is kept within 1–100', async () => {
	const ids = sessions(150);
	sb.setLatency(40);
	let peak = await inFlightPeak(() => getResults(ids, { concurrency: 500 }));
	expect(peak).toBeLessThanOrEqual(100);
	expect(peak).toBeGreaterThan(10);
	const [low] = await getResults(ids.slice(0, 3), { concurrency: 0 });
	expect(low.map((item) => item.json.result)).toEqual(['r0', 'r1', 'r2']);
	peak = await inFlightPeak(() => getResults(ids.slice(0, 5), { concurrency: 0 }));
	expect(peak).toBe(1);
});

test('a slow server: Concurrent Requests 4 keeps 4 requests in flight (the speed-up itself is measured by npm run bench)', async () => {
	const ids = sessions(12);
	sb.setLatency(100);
	expect(await inFlightPeak(() => getResults(ids))).toBe(1);
	expect(await inFlightPeak(() => getResults(ids, { concurrency: 4 }))).toBe(4);
});

describe('whatever an operation throws, it is an error of its item', () => {
	const getResult = resources.session.operations.getResult;
	const original = getResult.execute;
	let started: number[] = [];
	/** Item 2 throws `thrown`; every other item succeeds after a short wait. */
	function throwing(thrown: unknown) {
		getResult.execute = async function (this: IExecuteFunctions, itemIndex: number) {
			started.push(itemIndex);
			await new Promise((resolve) => setTimeout(resolve, 5));
			if (itemIndex === 2) throw thrown;
			return [{ json: { itemIndex } }];
		};
	}
	beforeEach(() => (started = []));
	afterEach(() => (getResult.execute = original));

	test.each([
		['null', null],
		['a number', 42],
		['a plain object', { reason: 'no' }],
		['a string', 'gone'],
		['undefined', undefined],
	])('%s: with Continue On Fail, the failed item carries its error, paired; the others go on', async (_name, thrown) => {
		throwing(thrown);
		const [out] = await getResults(sessions(5), { concurrency: 3 }, true);
		expect(out.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(out[2].json.error).toBe('Session → Get Result: The node stopped unexpectedly in item 3');
		expect(out[2].json.description).toContain('Run it again');
		expect(out.filter((item) => item.json.error)).toHaveLength(1);
		expect(JSON.stringify(out)).not.toContain('"reason"');
	});

	test.each([
		['null', null],
		['a plain object', { reason: 'no' }],
		['an Error', new TypeError('x is not a function')],
	])('%s: without Continue On Fail, the run stops with a readable message and starts no further item', async (_name, thrown) => {
		throwing(thrown);
		const error = await getResults(sessions(12), { concurrency: 3 }).then(
			() => undefined,
			(e: Error & { context?: IDataObject }) => e,
		);
		expect(error?.message).toMatch(thrown instanceof Error ? /x is not a function/ : /The node stopped unexpectedly in item 3$/);
		expect(error?.context?.itemIndex).toBe(2);
		// item 2 fails while items 0-4 at most are started: nothing after the ones already in flight
		expect(Math.max(...started)).toBeLessThanOrEqual(4);
	});
});

test('as an AI tool (identomatTool), the hint is part of the message, since a model reads only the message', async () => {
	const run = (typeName?: string, continueOnFail = false) =>
		runNode({
			typeName,
			parameters: { resource: 'session', operation: 'getResult', sessionId: 'nosuchsession'.padEnd(40, '0') },
			credentials: credentialsOf(sb),
			continueOnFail,
		});
	const asTool = await run('n8n-nodes-identomat.identomatTool').then(
		() => undefined,
		(e: Error) => e,
	);
	expect(asTool?.message).toBe(
		`Session → Get Result: Identomat has no session with this ID\n\nDetails: ${ERROR_CODES['session-not-found'].hint}`,
	);
	const [[item]] = await run('n8n-nodes-identomat.identomatTool', true);
	expect(item.json.error).toContain('Details: Check the Session ID');
	// in a workflow the hint stays in its own place
	const inWorkflow = await run().then(
		() => undefined,
		(e: Error & { description?: string }) => e,
	);
	expect(inWorkflow?.message).toBe('Session → Get Result: Identomat has no session with this ID');
	expect(inWorkflow?.description).toBe(ERROR_CODES['session-not-found'].hint);
});
