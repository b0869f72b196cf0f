/**
 * A streaming reader for ustar archives (Identomat's video call recordings), with no dependency:
 * entries are yielded one at a time, so memory is bounded by the largest entry, not the archive.
 */

export interface TarEntry {
	name: string;
	data: Buffer;
}

export class TarFormatError extends Error {}

const BLOCK = 512;

function field(header: Buffer, offset: number, length: number) {
	const raw = header.subarray(offset, offset + length);
	const end = raw.indexOf(0);
	return raw.toString('utf8', 0, end === -1 ? length : end);
}

function octal(header: Buffer, offset: number, length: number) {
	const text = field(header, offset, length).trim();
	const value = text === '' ? 0 : parseInt(text, 8);
	if (!Number.isFinite(value)) throw new TarFormatError('a size field is not a number');
	return value;
}

function checksumOk(header: Buffer) {
	let sum = 0;
	for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
	return sum === octal(header, 148, 8);
}

/** Hands out exact-length pieces of a chunked input, copying each piece once into its own buffer. */
class ByteQueue {
	private pending: Buffer = Buffer.alloc(0);

	private scratch: Buffer = Buffer.alloc(0);

	constructor(private readonly source: AsyncIterator<Buffer>) {}

	/**
	 * Exactly `size` bytes, or fewer only at the end of the input. With `reuse`, the bytes land in
	 * one buffer shared by every such call (grown to the largest size asked), valid until the next.
	 */
	async take(size: number, reuse = false): Promise<Buffer> {
		if (reuse && this.scratch.length < size) this.scratch = Buffer.allocUnsafe(size);
		const piece = reuse ? this.scratch.subarray(0, size) : Buffer.allocUnsafe(size);
		let filled = 0;
		while (filled < size) {
			if (this.pending.length === 0) {
				const next = await this.source.next();
				if (next.done) return piece.subarray(0, filled);
				this.pending = next.value;
			}
			const copied = this.pending.copy(piece, filled, 0, Math.min(size - filled, this.pending.length));
			this.pending = this.pending.subarray(copied);
			filled += copied;
		}
		return piece;
	}
}

export interface ReadTarOptions {
	/**
	 * Hand out every entry's bytes in one shared buffer, valid only until the next entry is asked
	 * for: memory then stays at the largest entry, instead of growing with each entry the garbage
	 * collector has not freed yet. For consumers that store each entry before asking for the next.
	 */
	reuseBuffer?: boolean;
}

export async function* readTar(chunks: AsyncIterable<Buffer>, options: ReadTarOptions = {}): AsyncGenerator<TarEntry> {
	const queue = new ByteQueue(chunks[Symbol.asyncIterator]());
	let longName: string | undefined;
	for (;;) {
		const header = await queue.take(BLOCK);
		if (header.length === 0) throw new TarFormatError('the archive ends without its end marker');
		if (header.length < BLOCK) throw new TarFormatError('the archive is cut off inside a header');
		if (header.every((b) => b === 0)) return;
		if (!checksumOk(header)) throw new TarFormatError('a header checksum is wrong');
		const size = octal(header, 124, 12);
		const type = String.fromCharCode(header[156] || 0x30);
		const prefix = field(header, 345, 155);
		const data = await queue.take(size, options.reuseBuffer);
		if (data.length < size) throw new TarFormatError('the archive is cut off inside a file');
		await queue.take((BLOCK - (size % BLOCK)) % BLOCK);
		if (type === 'L') {
			longName = data.toString('utf8').replace(/\0+$/, '');
			continue;
		}
		if (type !== '0' && type !== '\0' && type !== '7') continue; // folders, links, pax headers
		const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
		longName = undefined;
		yield { name, data };
	}
}

async function* once(buffer: Buffer) {
	yield buffer;
}

export function readTarBuffer(buffer: Buffer) {
	return readTar(once(buffer));
}
