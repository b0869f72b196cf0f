/**
 * A streaming reader for ustar archives (Identomat's video call recordings), with no dependency:
 * entries are handed out one at a time, and each entry's bytes stream through as they arrive, so
 * memory stays small whatever the size of the entries or of the archive.
 */

export interface TarEntry {
	name: string;
	size: number;
	/**
	 * The entry's bytes, as pieces of the incoming chunks (not copied). Read it before asking for
	 * the next entry; what is left unread is skipped then.
	 */
	body: AsyncGenerator<Buffer>;
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

/** Hands out pieces of a chunked input: exact-length copies (headers) or zero-copy slices (bodies). */
class ByteQueue {
	private pending: Buffer = Buffer.alloc(0);

	/** What is left of the current entry's bytes. */
	private bodyLeft = 0;

	constructor(private readonly source: AsyncIterator<Buffer>) {}

	/** Up to `max` bytes, without copying; an empty buffer only at the end of the input. */
	private async slice(max: number): Promise<Buffer> {
		if (this.pending.length === 0) {
			const next = await this.source.next();
			if (next.done) return this.pending;
			this.pending = next.value;
		}
		const piece = this.pending.subarray(0, max);
		this.pending = this.pending.subarray(piece.length);
		return piece;
	}

	/** Exactly `size` bytes in a buffer of their own, or fewer only at the end of the input. */
	async take(size: number): Promise<Buffer> {
		const piece = Buffer.allocUnsafe(size);
		let filled = 0;
		while (filled < size) {
			const part = await this.slice(size - filled);
			if (part.length === 0) return piece.subarray(0, filled);
			filled += part.copy(piece, filled);
		}
		return piece;
	}

	startBody(size: number) {
		this.bodyLeft = size;
	}

	/** The rest of the current entry's bytes, as they come. */
	async *body(): AsyncGenerator<Buffer> {
		while (this.bodyLeft > 0) {
			const part = await this.slice(this.bodyLeft);
			if (part.length === 0) throw new TarFormatError('the archive is cut off inside a file');
			this.bodyLeft -= part.length;
			yield part;
		}
	}

	/** Skips what the reader of an entry left unread, and the padding up to the next block. */
	async endBody(size: number) {
		for await (const unread of this.body()) void unread;
		const padding = (BLOCK - (size % BLOCK)) % BLOCK;
		if ((await this.take(padding)).length < padding)
			throw new TarFormatError('the archive is cut off inside a file');
	}
}

export async function* readTar(chunks: AsyncIterable<Buffer>): AsyncGenerator<TarEntry> {
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
		queue.startBody(size);
		if (type === 'L') {
			longName = Buffer.concat(await collect(queue.body()))
				.toString('utf8')
				.replace(/\0+$/, '');
		} else if (type === '0' || type === '\0' || type === '7') {
			const name =
				longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
			longName = undefined;
			yield { name, size, body: queue.body() };
		} // anything else (folders, links, pax headers) is skipped
		await queue.endBody(size);
	}
}

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer[]> {
	const out: Buffer[] = [];
	for await (const chunk of chunks) out.push(chunk);
	return out;
}
