/**
 * Session → Export PDF (a file, in both binary data modes), Get Activities and Get Statistics,
 * against the sandbox.
 */
import { expectFile, rawAnswer, signedSandboxWithTamperingProxy } from '../helpers/downloads';
import { fileBytes, useBinaryMode } from '../helpers/runner';
import {
	expectSessionRequest,
	type OperationArgs,
	requestsTo,
	runOperation,
	sandboxForFile,
} from '../helpers/sandbox';

const sb = sandboxForFile();

const session = (...args: OperationArgs) => runOperation(sb, 'session', ...args);

describe.each(['default', 'filesystem'] as const)('Session → Export PDF, binary mode %s', (mode) => {
	beforeAll(async () => await useBinaryMode(mode));

	test('by default exports the session data only, as <sessionId>-report.pdf', async () => {
		const id = sb.createCompletedSession();
		const [[item, ...rest]] = await session('exportPdf', { sessionId: id });
		expect(rest).toHaveLength(0);
		const request = expectSessionRequest(sb, 'export-session-as-pdf', 'api', id);
		expect(request.fields).toMatchObject({ exportSession: true, exportScreening: false, exportProofOfAddress: false });
		const pdf = await rawAnswer(sb, 'api', 'export-session-as-pdf', { sessionId: id, exportSession: true });
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		expect(item.json).toEqual({ sessionId: id, content: 'PDF report of the session', fileName: `${id}-report.pdf`, mimeType: 'application/pdf', fileSize: pdf.length });
		await expectFile(item, 'data', { mimeType: 'application/pdf', extension: 'pdf', fileName: `${id}-report.pdf`, bytes: pdf });
		expect((await fileBytes(item)).toString('latin1')).toContain(`Session: ${id}`);
	});

	test('the parts chosen are sent and included', async () => {
		const id = sb.createCompletedSession();
		const [[item]] = await session('exportPdf', {
			sessionId: id,
			exportSession: false,
			exportScreening: true,
			exportProofOfAddress: true,
			binaryPropertyName: 'report',
		});
		expect(requestsTo(sb, 'export-session-as-pdf')[0].fields).toMatchObject({
			exportSession: false,
			exportScreening: true,
			exportProofOfAddress: true,
		});
		const text = (await fileBytes(item, 'report')).toString('latin1');
		expect(text).toContain('Included: screening, proof of address');
	});

	test('nothing chosen: a message naming the options and the item, before calling Identomat', async () => {
		const id = sb.createCompletedSession();
		const error = await session('exportPdf', { sessionId: id, exportSession: false }).catch((e: Error & { description?: string }) => e);
		expect((error as Error).message).toBe('Nothing to export in item 1: every "Include …" option is off');
		expect((error as { description?: string }).description).toBe(
			'Turn on at least one of "Include Session Data", "Include Screening Results" or "Include Proof of Address".',
		);
		expect(requestsTo(sb, 'export-session-as-pdf')).toHaveLength(0);
	});

	test('an unknown session: our message', async () => {
		await expect(session('exportPdf', { sessionId: 'p'.repeat(40) })).rejects.toThrow(
			'Session → Export PDF: Identomat has no session with this ID',
		);
	});

	test('cut off once: retried, whole; cut off every time: the cut-off message', async () => {
		const id = sb.createCompletedSession();
		sb.faults.add({ kind: 'truncate', path: 'export-session-as-pdf' });
		const [[item]] = await session('exportPdf', { sessionId: id });
		expect(requestsTo(sb, 'export-session-as-pdf')).toHaveLength(2);
		expect(item.binary?.data.mimeType).toBe('application/pdf');
		sb.faults.add({ kind: 'truncate', path: 'export-session-as-pdf', times: Infinity });
		await expect(session('exportPdf', { sessionId: id })).rejects.toThrow('The answer from Identomat was cut off');
	});

	test('Continue On Fail: the item without any part fails alone, paired with its input', async () => {
		const id = sb.createCompletedSession();
		const [items] = await session(
			'exportPdf',
			{ sessionId: id, exportSession: '={{ $json.session }}' },
			{ items: [{ session: true }, { session: false }, { session: true }], continueOnFail: true },
		);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].binary?.data.fileName).toBe(`${id}-report.pdf`);
		expect(items[1].json.error).toBe('Nothing to export in item 2: every "Include …" option is off');
		expect(items[1].binary).toBeUndefined();
		expect(items[2].binary?.data.mimeType).toBe('application/pdf');
		expect(requestsTo(sb, 'export-session-as-pdf')).toHaveLength(2);
	});
});

describe('Session → Get Activities', () => {
	test('one item per activity, in the order Identomat lists them', async () => {
		const id = sb.createCompletedSession();
		const [items] = await session('getActivities', { sessionId: id });
		expectSessionRequest(sb, 'list-session-activities', 'api', id);
		expect(items.map((i) => i.json.type)).toEqual([
			'PAGE_LOADED',
			'DOCUMENT_SCANNED',
			'LIVENESS_COMPLETED',
			'VIDEO_CALL_STARTED',
			'VIDEO_CALL_ENDED',
			'SESSION_APPROVED',
		]);
		for (const item of items) {
			expect(item.json).toEqual({ sessionId: id, id: expect.any(String), type: expect.any(String), time: expect.any(String), data: [] });
			expect(item.pairedItem).toEqual({ item: 0 });
		}
	});

	test('an unknown session: our message', async () => {
		await expect(session('getActivities', { sessionId: 'a'.repeat(40) })).rejects.toThrow(
			'Session → Get Activities: Identomat has no session with this ID',
		);
	});

	test('Continue On Fail: activities of good sessions, an error item for the unknown one', async () => {
		const id = sb.createCompletedSession({ videoCall: false });
		const [items] = await session(
			'getActivities',
			{ sessionId: '={{ $json.id }}' },
			{ items: [{ id: 'a'.repeat(40) }, { id }], continueOnFail: true },
		);
		expect(items[0]).toMatchObject({ json: { code: 'session-not-found' }, pairedItem: { item: 0 } });
		expect(items.slice(1).map((i) => i.pairedItem)).toEqual(Array(4).fill({ item: 1 }));
	});
});

describe('Session → Get Statistics', () => {
	test('the summary object out of the array of one', async () => {
		const id = sb.createCompletedSession();
		const [[item, ...rest]] = await session('getStatistics', { sessionId: id });
		expect(rest).toHaveLength(0);
		expectSessionRequest(sb, 'get-session-statistical-summary', 'api', id);
		expect(item.json).toMatchObject({
			sessionId: id,
			sessionStartDate: expect.any(String),
			sessionTimeSpan: 12000,
			scanDocumentAttempts: 1,
			scanDocumentFailReason: null,
			livenessFailReasons: null,
		});
		expect(Array.isArray(item.json)).toBe(false);
	});

	test('an unknown session: our message', async () => {
		await expect(session('getStatistics', { sessionId: 's'.repeat(40) })).rejects.toThrow(
			'Session → Get Statistics: Identomat has no session with this ID',
		);
	});

	test('a session ID with spaces is named with the item, before calling Identomat', async () => {
		await expect(session('getStatistics', { sessionId: 'abc def' })).rejects.toThrow('"Session ID" in item 1 contains spaces');
		expect(requestsTo(sb, 'get-session-statistical-summary')).toHaveLength(0);
	});
});

describe.each(['default', 'filesystem'] as const)('Session files with HMAC signatures, binary mode %s', (mode) => {
	beforeAll(async () => await useBinaryMode(mode));
	const { signed, tamperingUrl } = signedSandboxWithTamperingProxy();

	const run = (operation: string, sessionId: string, base?: string) => runOperation(signed, 'session', operation, { sessionId }, { base });

	test.each([
		['exportPdf', 'export-session-as-pdf'],
		['getActivities', 'list-session-activities'],
		['getStatistics', 'get-session-statistical-summary'],
	])('%s: signed requests, verified answers', async (operation, path) => {
		const id = signed.createCompletedSession();
		const [items] = await run(operation, id);
		expect(items.length).toBeGreaterThan(0);
		expect(requestsTo(signed, path).map((r) => r.signature)).toEqual(['valid']);
	});

	test.each(['exportPdf', 'getActivities', 'getStatistics'])('%s: an answer altered on the way fails the signature check', async (operation) => {
		const id = signed.createCompletedSession();
		await expect(run(operation, id, tamperingUrl())).rejects.toThrow("Identomat's answer failed the signature check");
	});
});
