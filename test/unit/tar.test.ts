/**
 * The streaming tar reader of the recordings archive: files whole and in order, pieces as they
 * arrive, and damaged or hostile archives refused with a TarFormatError
 * instead of read out of alignment or into memory.
 */
import { readTar, TarFormatError } from '../../nodes/Identomat/files/tar';
import { type TarEntry as Entry, tar } from '../helpers/tar';

/** A pax extended header's data: `<length> <key>=<value>\n` records. */
function pax(records: Record<string, string>): Buffer {
	return Buffer.concat(
		Object.entries(records).map(([key, value]) => {
			const body = ` ${key}=${value}\n`;
			let length = body.length + 1;
			while (`${length}${body}`.length !== length) length++;
			return Buffer.from(`${length}${body}`);
		}),
	);
}

/** The archive fed in chunks of `chunkSize` bytes, as a network stream would. */
async function* inChunks(buffer: Buffer, chunkSize: number) {
	for (let at = 0; at < buffer.length; at += chunkSize) yield buffer.subarray(at, at + chunkSize);
}

/** Every entry, whole, and how many pieces its bytes came in. */
async function entries(buffer: Buffer, chunkSize = buffer.length) {
	const out = [];
	for await (const entry of readTar(inChunks(buffer, chunkSize))) {
		const pieces: Buffer[] = [];
		for await (const piece of entry.body) pieces.push(piece);
		out.push({ name: entry.name, size: entry.size, data: Buffer.concat(pieces), pieces: pieces.length });
	}
	return out;
}

describe('tar reader', () => {
	test('yields each file whole, in order', async () => {
		const a = Buffer.alloc(700, 1);
		const b = Buffer.alloc(3, 2);
		const read = await entries(tar([['recording-1.webm', a], ['recording-2.webm', b]]));
		expect(read.map((e) => e.name)).toEqual(['recording-1.webm', 'recording-2.webm']);
		expect(read[0].data.equals(a)).toBe(true);
		expect(read[1].data.equals(b)).toBe(true);
	});

	test('streams each file in the pieces it arrives in, never whole', async () => {
		const a = Buffer.alloc(5000, 1);
		const read = await entries(tar([['recording-1.webm', a], ['recording-2.webm', Buffer.alloc(10, 2)]]), 1000);
		expect(read[0]).toMatchObject({ name: 'recording-1.webm', size: 5000, pieces: 6 });
		expect(read[0].data.equals(a)).toBe(true);
		expect(read[1].data.equals(Buffer.alloc(10, 2))).toBe(true);
	});

	test('a file its reader leaves unread is skipped, and the next one is still found', async () => {
		const archive = tar([['skip.webm', Buffer.alloc(1500, 1)], ['keep.webm', Buffer.alloc(700, 2)]]);
		const kept: Buffer[] = [];
		for await (const entry of readTar(inChunks(archive, 300))) {
			if (entry.name === 'skip.webm') {
				await entry.body.next(); // read one piece only
				continue;
			}
			for await (const piece of entry.body) kept.push(piece);
		}
		expect(Buffer.concat(kept).equals(Buffer.alloc(700, 2))).toBe(true);
	});

	test('a cut-off archive and a bad checksum are reported', async () => {
		const whole = tar([['r.webm', Buffer.alloc(2000, 1)]]);
		await expect(entries(whole.subarray(0, 1500))).rejects.toThrow(TarFormatError);
		const corrupt = Buffer.from(whole);
		corrupt[10] ^= 0xff;
		await expect(entries(corrupt)).rejects.toThrow('checksum');
	});

	test.each([
		['a negative size (base-256)', Buffer.from([0xff, ...Buffer.alloc(11, 0xff)]), 'size'],
		['a size with a letter in it', Buffer.from('0000000012a\0'), 'not an octal number'],
		['a size with a minus sign', Buffer.from('-0000000012\0'), 'not an octal number'],
	])('%s is a damaged header, never read out of alignment', async (_name, sizeField, message) => {
		const archive = tar([{ name: 'r.webm', data: Buffer.alloc(10, 1), sizeField }, ['next.webm', Buffer.alloc(5, 2)]]);
		await expect(entries(archive)).rejects.toThrow(TarFormatError);
		await expect(entries(archive)).rejects.toThrow(message);
	});

	test('a base-256 size is read', async () => {
		const data = Buffer.alloc(600, 4);
		const sizeField = Buffer.alloc(12);
		sizeField[0] = 0x80;
		sizeField.writeUInt16BE(600, 10);
		const [entry] = await entries(tar([{ name: 'big.webm', data, sizeField }]));
		expect(entry).toMatchObject({ name: 'big.webm', size: 600 });
		expect(entry.data.equals(data)).toBe(true);
	});

	test('a GNU long name of up to 4 KiB names the next file', async () => {
		const name = `${'folder/'.repeat(100)}recording-1.webm`;
		const [entry] = await entries(tar([{ name: '././@LongLink', type: 'L', data: Buffer.from(`${name}\0`) }, ['short', Buffer.alloc(3, 1)]]));
		expect(entry.name).toBe(name);
	});

	test('a long name over 4 KiB is refused before it is read into memory', async () => {
		const huge = Buffer.alloc(64 * 1024 * 1024, 0x61);
		const archive = tar([{ name: '././@LongLink', type: 'L', data: Buffer.alloc(0), sizeField: Buffer.from(`${huge.length.toString(8).padStart(11, '0')}\0`) }]);
		// only the header is given: a reader that collects the name would wait for 64 MiB, or fail on the cut-off
		await expect(entries(archive.subarray(0, 512))).rejects.toThrow('longer than 4 KiB');
	});

	test('a long name applies to the next entry only, even when that one is a folder', async () => {
		const archive = tar([
			{ name: '././@LongLink', type: 'L', data: Buffer.from('long-folder-name/\0') },
			{ name: 'short-folder/', type: '5', data: Buffer.alloc(0) },
			['recording-1.webm', Buffer.alloc(4, 1)],
		]);
		const read = await entries(archive);
		expect(read.map((e) => e.name)).toEqual(['recording-1.webm']);
	});

	test('pax path and size are honoured, for the next entry only', async () => {
		const data = Buffer.alloc(700, 9);
		const archive = tar([
			{ name: 'PaxHeader', type: 'x', data: pax({ path: 'calls/recording-with-a-long-name.webm', size: '700' }) },
			// the ustar size field says 0: the pax size is the one to trust
			{ name: 'recording-with-a', data, sizeField: Buffer.from('00000000000\0') },
			['second.webm', Buffer.alloc(2, 1)],
		]);
		const read = await entries(archive, 100);
		expect(read.map((e) => [e.name, e.size])).toEqual([
			['calls/recording-with-a-long-name.webm', 700],
			['second.webm', 2],
		]);
		expect(read[0].data.equals(data)).toBe(true);
	});

	test('a damaged pax header is refused', async () => {
		const archive = tar([{ name: 'PaxHeader', type: 'x', data: Buffer.from('99 path=x\n') }, ['r.webm', Buffer.alloc(1, 1)]]);
		await expect(entries(archive)).rejects.toThrow('extended header is damaged');
	});
});
