/**
 * Video Call: shots (data URIs), recordings (a tar archive unpacked while it streams, or kept whole)
 * and ending a call, in both binary data modes, against the sandbox.
 */
import type { IDataObject } from 'n8n-workflow';

import { expectFile, rawAnswer, signedSandboxWithTamperingProxy } from '../helpers/downloads';
import { fileBytes, useBinaryMode } from '../../harness/runner';
import { expectSessionRequest, type OperationArgs, requestsTo, runOperation, sandboxForFile } from '../helpers/sandbox';

import * as sandboxMedia from '../../sandbox/media.ts';

const RECORDING_BYTES = 200 * 1024;

const sb = sandboxForFile({ recordingBytes: RECORDING_BYTES, recordingCount: 3 });

const videoCall = (...args: OperationArgs) => runOperation(sb, 'videoCall', ...args);

/** One recording as the sandbox makes it: the WebM fixture padded to the recording size. */
async function recordingBytes(size = RECORDING_BYTES): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of sandboxMedia.videoSource(size).open()) chunks.push(Buffer.from(chunk));
	return Buffer.concat(chunks);
}

describe.each(['default', 'filesystem'] as const)('Video Call, binary mode %s', (mode) => {
	beforeAll(async () => await useBinaryMode(mode));

	describe('getShots', () => {
		const shots = () => [sb.fixtures['face-document.jpg'], sb.fixtures['card-front.jpg'], sb.fixtures['card-back.jpg']];

		test('nested x-tar data URIs become JPEG files on one item: data, data_1, data_2', async () => {
			const id = sb.createCompletedSession();
			const [[item, ...rest]] = await videoCall('getShots', { sessionId: id });
			expect(rest).toHaveLength(0);
			expectSessionRequest(sb, 'get-video-call-shots', 'api', id);
			expect(item.json).toMatchObject({ sessionId: id, fileCount: 3 });
			for (const [index, bytes] of shots().entries()) {
				const key = index === 0 ? 'data' : `data_${index}`;
				await expectFile(item, key, { mimeType: 'image/jpeg', extension: 'jpg', fileName: `${id}-shot-${index + 1}.jpg`, bytes });
			}
		});

		test('Output "One Item per File"', async () => {
			const id = sb.createCompletedSession();
			const [items] = await videoCall('getShots', { sessionId: id, options: { output: 'itemPerFile' } });
			expect(items).toHaveLength(3);
			for (const [index, bytes] of shots().entries()) {
				expect(items[index].json).toEqual({
					sessionId: id,
					content: 'screenshot the operator took during the video call',
					fileName: `${id}-shot-${index + 1}.jpg`,
					mimeType: 'image/jpeg',
					fileSize: bytes.length,
				});
				expect((await fileBytes(items[index])).equals(bytes)).toBe(true);
			}
		});

		test('a malformed data URI names which shot', async () => {
			const id = sb.createCompletedSession();
			sb.faults.add({ kind: 'malformedDataUri', path: 'get-video-call-shots' });
			await expect(videoCall('getShots', { sessionId: id })).rejects.toThrow(
				"Video Call → Get Shots: Identomat's answer could not be read: shot 1 of 3 is not a readable base64 data URI",
			);
		});

		test('a session without a video call: not-found', async () => {
			const id = sb.createCompletedSession({ videoCall: false });
			await expect(videoCall('getShots', { sessionId: id })).rejects.toThrow('Identomat found nothing with this ID');
		});
	});

	describe('getRecordings', () => {
		test('the tar archive (declared application/x-tar) is unpacked into one WebM file per recording', async () => {
			const id = sb.createCompletedSession();
			const [[item, ...rest]] = await videoCall('getRecordings', { sessionId: id });
			expect(rest).toHaveLength(0);
			expectSessionRequest(sb, 'get-video-call-videos', 'api', id);
			const bytes = await recordingBytes();
			expect(Object.keys(item.binary ?? {})).toEqual(['data', 'data_1', 'data_2']);
			expect(item.json).toEqual({
				sessionId: id,
				fileCount: 3,
				files: [1, 2, 3].map((n, index) => ({
					binaryPropertyName: index === 0 ? 'data' : `data_${index}`,
					content: 'recording of the video call',
					fileName: `${id}-recording-${n}.webm`,
					mimeType: 'video/webm',
					fileSize: RECORDING_BYTES,
				})),
			});
			for (const [index, key] of ['data', 'data_1', 'data_2'].entries()) {
				await expectFile(item, key, { mimeType: 'video/webm', extension: 'webm', fileName: `${id}-recording-${index + 1}.webm`, bytes });
			}
		});

		test('Output "One Item per File"', async () => {
			const id = sb.createCompletedSession();
			const [items] = await videoCall('getRecordings', { sessionId: id, binaryPropertyName: 'video', options: { output: 'itemPerFile' } });
			expect(items).toHaveLength(3);
			expect(items.map((i) => i.json.fileName)).toEqual([1, 2, 3].map((n) => `${id}-recording-${n}.webm`));
			expect(items.map((i) => Object.keys(i.binary ?? {}))).toEqual([['video'], ['video'], ['video']]);
			expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
		});

		test('"Keep as Archive": the tar as one file, bytes as sent', async () => {
			const id = sb.createCompletedSession();
			const [[item]] = await videoCall('getRecordings', { sessionId: id, options: { keepArchive: true } });
			const archive = await rawAnswer(sb, 'api', 'get-video-call-videos', { sessionId: id });
			expect(item.json).toEqual({ sessionId: id, content: 'archive of the video call recordings', fileName: `${id}-recordings.tar`, mimeType: 'application/x-tar', fileSize: archive.length });
			await expectFile(item, 'data', { mimeType: 'application/x-tar', extension: 'tar', fileName: `${id}-recordings.tar`, bytes: archive });
		});

		test.each([
			['short', 'the archive is cut off inside a file'],
			['checksum', 'a header checksum is wrong'],
		])('a malformed archive (%s) gets a clear message', async (variant, detail) => {
			const id = sb.createCompletedSession();
			sb.faults.add({ kind: 'malformedArchive', path: 'get-video-call-videos', variant });
			const error = await videoCall('getRecordings', { sessionId: id }).catch((e: Error & { description?: string }) => e);
			expect((error as Error).message).toBe(
				`Video Call → Get Recordings: Identomat's answer could not be read: the recordings archive is damaged (${detail})`,
			);
			expect((error as { description?: string }).description).toContain('Keep as Archive');
		});

		test('a download cut off once is downloaded again; cut off every time: the cut-off message', async () => {
			const id = sb.createCompletedSession();
			sb.faults.add({ kind: 'truncate', path: 'get-video-call-videos' });
			const [[item]] = await videoCall('getRecordings', { sessionId: id });
			expect(requestsTo(sb, 'get-video-call-videos')).toHaveLength(2);
			expect(item.json.fileCount).toBe(3);
			expect((await fileBytes(item, 'data_2')).equals(await recordingBytes())).toBe(true);

			sb.faults.add({ kind: 'truncate', path: 'get-video-call-videos', times: Infinity });
			await expect(videoCall('getRecordings', { sessionId: id })).rejects.toThrow(
				'Video Call → Get Recordings: The answer from Identomat was cut off before it was complete',
			);
		});

		test('a session without recordings: not-found', async () => {
			const id = sb.createCompletedSession({ videoCall: false });
			await expect(videoCall('getRecordings', { sessionId: id })).rejects.toThrow('Identomat found nothing with this ID');
		});
	});

	describe('end', () => {
		test('ends an active call: {ended: true}, not retried', async () => {
			const id = sb.createCompletedSession({ activeVideoCall: true });
			const [[item]] = await videoCall('end', { sessionId: id });
			expect(item.json).toEqual({ ended: true, sessionId: id });
			expectSessionRequest(sb, 'end-video-call', 'api', id);
		});

		test('no active call: says so', async () => {
			const id = sb.createCompletedSession();
			const error = await videoCall('end', { sessionId: id }).catch((e: Error & { description?: string }) => e);
			expect((error as Error).message).toBe('Video Call → End: this session has no active video call to end');
			expect((error as { description?: string }).description).toContain('ended already');
		});

		test('a dropped connection is not retried (ending is not read-only)', async () => {
			const id = sb.createCompletedSession({ activeVideoCall: true });
			sb.faults.add({ kind: 'reset', path: 'end-video-call' });
			await expect(videoCall('end', { sessionId: id })).rejects.toThrow('The connection to Identomat was cut off');
			expect(requestsTo(sb, 'end-video-call')).toHaveLength(1);
		});
	});

	test.each(['getShots', 'getRecordings', 'end'])('%s of an unknown session: our message', async (operation) => {
		await expect(videoCall(operation, { sessionId: 'v'.repeat(40) })).rejects.toThrow('Identomat has no session with this ID');
	});

	test('Continue On Fail: error items paired with their inputs, the others go on', async () => {
		const id = sb.createCompletedSession();
		const noCall = sb.createCompletedSession({ videoCall: false });
		const [items] = await videoCall(
			'getRecordings',
			{ sessionId: '={{ $json.id }}', options: { output: 'itemPerFile' } },
			{ items: [{ id: noCall }, { id }], continueOnFail: true },
		);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 1 }, { item: 1 }]);
		expect(items[0].json).toMatchObject({ error: 'Video Call → Get Recordings: Identomat found nothing with this ID', code: 'not-found' });
		expect(items.slice(1).map((i) => i.json.fileName)).toEqual([1, 2, 3].map((n) => `${id}-recording-${n}.webm`));
	});
});

describe.each(['default', 'filesystem'] as const)('Video Call with HMAC signatures, binary mode %s', (mode) => {
	beforeAll(async () => await useBinaryMode(mode));
	const { signed, tamperingUrl } = signedSandboxWithTamperingProxy({ recordingBytes: 64 * 1024, recordingCount: 2 });

	const run = (operation: string, parameters: IDataObject, base?: string) => runOperation(signed, 'videoCall', operation, parameters, { base });

	test.each([
		['getShots', {}, 'get-video-call-shots'],
		['getRecordings', {}, 'get-video-call-videos'],
		['getRecordings', { options: { keepArchive: true } }, 'get-video-call-videos'],
	])('%s %j: signed requests, verified answers', async (operation, parameters, path) => {
		const id = signed.createCompletedSession();
		const [[item]] = await run(operation, { sessionId: id, ...parameters });
		expect(requestsTo(signed, path).map((r) => r.signature)).toEqual(['valid']);
		expect(item.binary?.data).toBeDefined();
	});

	test('end: signed, verified', async () => {
		const id = signed.createCompletedSession({ activeVideoCall: true });
		const [[item]] = await run('end', { sessionId: id });
		expect(item.json.ended).toBe(true);
		expect(requestsTo(signed, 'end-video-call')[0].signature).toBe('valid');
	});

	test.each([
		['getShots', {}],
		['getRecordings', {}],
		['getRecordings', { options: { keepArchive: true } }],
	])('%s %j: an answer altered on the way fails the signature check', async (operation, parameters) => {
		const id = signed.createCompletedSession();
		await expect(run(operation, { sessionId: id, ...parameters }, tamperingUrl())).rejects.toThrow(
			"Identomat's answer failed the signature check",
		);
	});
});
