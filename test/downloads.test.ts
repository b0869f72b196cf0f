/**
 * Downloads under hostile connections (stalls after the headers or midway, resets in the first
 * bytes, tiny files, JSON instead of a file): every streamed download (Get Liveness Video, Get Recordings unpacked and as an archive)
 * and a buffered one, through the real node and n8n-core, in both binary data modes, against the
 * sandbox stalling, cutting off and answering oddly. A stalled download must end with "did not
 * answer in time" under the Timeout option, whatever the default; jest's own timeout is the bound
 * that fails a test that hangs.
 */
import { MAX_FILES_PER_ITEM } from '../nodes/Identomat/files/downloads';
import { expectFile, rawAnswer } from './helpers/downloads';
import { fileBytes, useBinaryMode } from '../harness/runner';
import { failureOf, requestsTo, runOperation, sandboxForFile } from './helpers/sandbox';
import { tar } from './helpers/tar';

// The pauses between tries shortened (the stalls and their Timeout keep their real length): each
// stall here is counted by its tries and its message, not by how long the tries were apart.
jest.mock('n8n-workflow', () => jest.requireActual('./helpers/backoff').withShortBackoff());

const VIDEO_BYTES = 64 * 1024;
const sb = sandboxForFile({ videoBytes: VIDEO_BYTES, recordingBytes: 32 * 1024, recordingCount: 2 });

/** Timeout (Seconds) of the node: short, so a stall is noticed quickly. */
const TIMEOUT = { requestOptions: { timeout: 1 } };

const video = { resource: 'media', operation: 'getFaceVideo', path: 'result/face-video/', host: 'widget', options: {} } as const;
const recordings = { resource: 'videoCall', operation: 'getRecordings', path: 'get-video-call-videos', host: 'api' } as const;
const STREAMED = [
	{ name: 'Get Liveness Video', ...video, unpacked: false },
	{ name: 'Get Recordings (unpacked)', ...recordings, options: {}, unpacked: true },
	{ name: 'Get Recordings (Keep as Archive)', ...recordings, options: { options: { keepArchive: true } }, unpacked: false },
];

function run(kind: (typeof STREAMED)[number], sessionId: string) {
	return runOperation(sb, kind.resource, kind.operation, { sessionId, ...kind.options, ...TIMEOUT });
}

// Where the file is stored plays no part in how a stalled connection ends: one binary data mode.
describe.each(STREAMED)('$name stalls on every try', (kind) => {
	beforeAll(async () => await useBinaryMode('default'));

	test.each([
		['headers, then silence', 0],
		['4 KiB, then silence', 4096],
	])('%s: "did not answer in time" after 4 tries, nothing hangs', async (_name, afterBytes) => {
		const id = sb.createCompletedSession();
		sb.faults.add({ path: kind.path, kind: 'stall', afterBytes, times: Infinity });
		const error = await failureOf(run(kind, id));
		expect(error.message).toMatch(/: Identomat did not answer in time$/);
		expect(error.description).toContain('tried 4 times');
		expect(requestsTo(sb, kind.path)).toHaveLength(4);
	}, 30_000);
});

describe.each(['default', 'filesystem'] as const)('downloads, binary mode %s', (mode) => {
	beforeAll(async () => await useBinaryMode(mode));

	describe.each(STREAMED)('$name', (kind) => {
		test('a stall once: tried again, and the file arrives whole', async () => {
			const id = sb.createCompletedSession();
			sb.faults.add({ path: kind.path, kind: 'stall', afterBytes: 4096, times: 1 });
			const [items] = await run(kind, id);
			expect(requestsTo(sb, kind.path)).toHaveLength(2);
			if (kind.unpacked) {
				expect(items[0].json.fileCount).toBe(2);
			} else {
				const whole = await rawAnswer(sb, kind.host, kind.path, kind.host === 'widget' ? { session_token: id } : { sessionId: id });
				expect((await fileBytes(items[0])).equals(whole)).toBe(true);
			}
		}, 30_000);

		test('a connection reset within the first 512 bytes is tried again like any other', async () => {
			const id = sb.createCompletedSession();
			sb.faults.add({ path: kind.path, kind: 'truncate', afterBytes: 100, times: 1 });
			const [items] = await run(kind, id);
			expect(items).toHaveLength(1);
			expect(requestsTo(sb, kind.path)).toHaveLength(2);

			sb.reset();
			const again = sb.createCompletedSession();
			sb.faults.add({ path: kind.path, kind: 'truncate', afterBytes: 100, times: Infinity });
			const error = await failureOf(run(kind, again));
			expect(error.message).toMatch(/: The answer from Identomat was cut off before it was complete$/);
			expect(error.description).toContain('tried 4 times');
		}, 30_000);

		test('a JSON answer that is no error is refused, not saved as a file, and not tried again', async () => {
			const id = sb.createCompletedSession();
			sb.faults.add({ path: kind.path, kind: 'body', body: '{"result": {"status": "processing"}}', times: Infinity });
			const error = await failureOf(run(kind, id));
			expect(error.message).toMatch(/: Identomat's answer could not be read: a text answer arrived where a file was expected$/);
			expect(requestsTo(sb, kind.path)).toHaveLength(1);
		});

		test('a broken compressed answer is no cut-off: explained, not tried again', async () => {
			const id = sb.createCompletedSession();
			sb.faults.add({
				path: kind.path,
				kind: 'body',
				bodyBase64: Buffer.from('this is not gzip at all, but says it is').toString('base64'),
				type: 'video/webm',
				headers: { 'Content-Encoding': 'gzip' },
				times: Infinity,
			});
			const error = await failureOf(run(kind, id));
			expect(error.message).toMatch(/: Identomat's answer could not be read: the file could not be received$/);
			expect(requestsTo(sb, kind.path)).toHaveLength(1);
		});
	});

	test('a streamed file shorter than 512 bytes is kept whole (Get Liveness Video)', async () => {
		const id = sb.createCompletedSession();
		const tiny = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.from('webm'), Buffer.alloc(92, 7)]);
		sb.faults.add({ path: 'result/face-video/', kind: 'body', bodyBase64: tiny.toString('base64'), type: 'video/webm' });
		const [[item]] = await runOperation(sb, 'media', 'getFaceVideo', { sessionId: id, ...TIMEOUT });
		await expectFile(item, 'data', { mimeType: 'video/webm', extension: 'webm', fileName: `${id}-liveness.webm`, bytes: tiny });
	});

	test('a streamed file of exactly 512 bytes and one of 513 are kept whole', async () => {
		for (const size of [512, 513]) {
			sb.reset();
			const id = sb.createCompletedSession();
			const bytes = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(size - 4, 3)]);
			sb.faults.add({ path: 'result/face-video/', kind: 'body', bodyBase64: bytes.toString('base64'), type: 'video/webm' });
			const [[item]] = await runOperation(sb, 'media', 'getFaceVideo', { sessionId: id, ...TIMEOUT });
			expect((await fileBytes(item)).equals(bytes)).toBe(true);
		}
	});

	test('a buffered download answered with JSON that is no error is refused (Get Document Front)', async () => {
		const id = sb.createCompletedSession();
		sb.faults.add({ path: 'result/card-front/', kind: 'body', body: '{"result": null}' });
		const error = await failureOf(runOperation(sb, 'media', 'getCardFront', { sessionId: id }));
		expect(error.message).toBe(
			"Session Media → Get Document Front: Identomat's answer could not be read: a text answer arrived where a file was expected",
		);
	});

	test('a stalled buffered download ends under the Timeout option too (Export PDF)', async () => {
		const id = sb.createCompletedSession();
		sb.faults.add({ path: 'export-session-as-pdf', kind: 'stall', afterBytes: 100, times: Infinity });
		const error = await failureOf(runOperation(sb, 'session', 'exportPdf', { sessionId: id, ...TIMEOUT }));
		expect(error.message).toBe('Session → Export PDF: Identomat did not answer in time');
		expect(requestsTo(sb, 'export-session-as-pdf')).toHaveLength(4);
	}, 30_000);

	test('a slow but steady answer is no stall: the timeout is for each piece, not the whole download', async () => {
		const id = sb.createCompletedSession();
		// 8 pieces 300 ms apart: 2.4 s in all, over the 1 s timeout, never 1 s without a piece.
		sb.faults.add({ path: 'result/face-video/', kind: 'drip', chunkBytes: VIDEO_BYTES / 8, delayMs: 300 });
		const [[item]] = await runOperation(sb, 'media', 'getFaceVideo', { sessionId: id, ...TIMEOUT });
		expect(requestsTo(sb, 'result/face-video/')).toHaveLength(1);
		const whole = await rawAnswer(sb, 'widget', 'result/face-video/', { session_token: id });
		expect(whole.length).toBe(VIDEO_BYTES);
		expect((await fileBytes(item)).equals(whole)).toBe(true);
	});
});

/**
 * What one download may hand downstream: a bounded number of files, a bounded JSON answer, types
 * that a later node cannot pass on as active content, and names that are safe wherever they land.
 */
describe('limits, types and names of downloaded files', () => {
	beforeAll(async () => await useBinaryMode('default'));

	const webm = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.from('webm'), Buffer.alloc(8)]);
	const archiveOf = (names: string[]) => tar(names.map((name) => [name, webm])).toString('base64');
	const answerArchive = (names: string[]) =>
		sb.faults.add({ path: 'get-video-call-videos', kind: 'body', bodyBase64: archiveOf(names), type: 'application/x-tar' });

	test(`an archive of more than ${MAX_FILES_PER_ITEM} files is refused with a message, no files kept`, async () => {
		const id = sb.createCompletedSession();
		answerArchive(Array.from({ length: MAX_FILES_PER_ITEM + 1 }, (_, i) => `r${i}.webm`));
		const error = await failureOf(runOperation(sb, 'videoCall', 'getRecordings', { sessionId: id }));
		expect(error.message).toBe(
			"Video Call → Get Recordings: Identomat's answer is over the node's limit: it holds more than 1,000 files (video call recordings)",
		);
		expect(error.description).toContain('Keep as Archive');
	});

	test(`an archive of exactly ${MAX_FILES_PER_ITEM} files is fine`, async () => {
		const id = sb.createCompletedSession();
		answerArchive(Array.from({ length: MAX_FILES_PER_ITEM }, (_, i) => `r${i}.webm`));
		const [[item]] = await runOperation(sb, 'videoCall', 'getRecordings', { sessionId: id });
		expect(item.json.fileCount).toBe(MAX_FILES_PER_ITEM);
	});

	test(`a JSON answer of more than ${MAX_FILES_PER_ITEM} data URIs is refused with a message`, async () => {
		const id = sb.createCompletedSession();
		const uri = `data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xe0]).toString('base64')}`;
		const result = Array.from({ length: MAX_FILES_PER_ITEM + 1 }, () => [uri]);
		sb.faults.add({ path: 'get-visual-markers', kind: 'body', body: JSON.stringify({ result }) });
		const error = await failureOf(runOperation(sb, 'media', 'getVisualMarkers', { sessionId: id }));
		expect(error.message).toMatch(/: Identomat's answer is over the node's limit: it holds more than 1,000 files \(visual marker\)$/);
	});

	test('a JSON answer larger than 100 MB is refused while it arrives, not read whole', async () => {
		const id = sb.createCompletedSession();
		sb.faults.add({ path: 'result/', kind: 'body', body: `{"result":"${'a'.repeat(100 * 1024 * 1024)}"}` });
		const error = await failureOf(runOperation(sb, 'session', 'getResult', { sessionId: id }));
		expect(error.message).toBe("Session → Get Result: Identomat's answer is over the node's limit: it is larger than 100 MB");
	});

	test.each([
		['text/html', Buffer.from('hello <script>alert(1)</script>')],
		['image/svg+xml', Buffer.from('svg? <svg onload="alert(1)"/>')],
		['application/x-msdownload', Buffer.from('MZ\x90\x00\x03', 'latin1')],
	])('bytes that match no known type, declared %s, are saved as octet-stream .bin', async (type, bytes) => {
		const id = sb.createCompletedSession();
		sb.faults.add({ path: 'result/card-front/', kind: 'body', bodyBase64: bytes.toString('base64'), type });
		const [[item]] = await runOperation(sb, 'media', 'getCardFront', { sessionId: id });
		await expectFile(item, 'data', { mimeType: 'application/octet-stream', extension: 'bin', fileName: `${id}-card-front.bin`, bytes });
	});

	test('a harmless declared type (PDF) is kept for bytes that match nothing', async () => {
		const id = sb.createCompletedSession();
		const bytes = Buffer.from('not quite a PDF');
		sb.faults.add({ path: 'result/card-front/', kind: 'body', bodyBase64: bytes.toString('base64'), type: 'application/pdf' });
		const [[item]] = await runOperation(sb, 'media', 'getCardFront', { sessionId: id });
		await expectFile(item, 'data', { mimeType: 'application/pdf', extension: 'pdf', fileName: `${id}-card-front.pdf`, bytes });
	});

	test('archive entry names are cut to 200 bytes and cannot climb out of a folder', async () => {
		const id = sb.createCompletedSession();
		const long = `${'x'.repeat(3046)}.webm`;
		const entries = tar([
			{ name: '././@LongLink', type: 'L', data: Buffer.from(`${long}\0`) },
			{ name: 'ignored', data: webm },
			['../../etc/cron.d/evil.webm', webm],
			['calls/..', webm],
		]);
		sb.faults.add({ path: 'get-video-call-videos', kind: 'body', bodyBase64: entries.toString('base64'), type: 'application/x-tar' });
		const [[item]] = await runOperation(sb, 'videoCall', 'getRecordings', { sessionId: id });
		const names = (item.json.files as Array<{ fileName: string }>).map((f) => f.fileName);
		expect(Buffer.byteLength(names[0])).toBe(200);
		expect(names[0]).toMatch(new RegExp(`^${id}-x+\\.webm$`));
		expect(names.slice(1)).toEqual([`${id}-evil.webm`, `${id}-recording-3.webm`]);
	});
});
