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

/**
 * A numeric header field: octal digits (padded with spaces or NULs), or GNU's base-256 for large
 * values (first byte 0x80). Anything else, a negative value included, is a damaged header.
 */
function number(header: Buffer, offset: number, length: number, what: string): number {
	const raw = header.subarray(offset, offset + length);
	if (raw[0] === 0x80) {
		let value = 0;
		for (const byte of raw.subarray(1)) value = value * 256 + byte;
		if (!Number.isSafeInteger(value)) throw new TarFormatError(`the ${what} field is too large`);
		return value;
	}
	const text = raw
		.toString('latin1')
		.replace(/[\0 ]+$/, '')
		.replace(/^ +/, '');
	if (!/^[0-7]*$/.test(text)) throw new TarFormatError(`the ${what} field is not an octal number`);
	return text === '' ? 0 : parseInt(text, 8);
}

function checksumOk(header: Buffer) {
	let sum = 0;
	for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
	return sum === number(header, 148, 8, 'checksum');
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

/** Longest GNU long name or pax header read (a real one is a few hundred bytes). */
const MAX_META_BYTES = 4096;

/** The records of a pax extended header: `<length> <key>=<value>\n`, one after the other. */
function paxRecords(data: Buffer): Record<string, string> {
	const records: Record<string, string> = {};
	for (let at = 0; at < data.length && data[at] !== 0; ) {
		const space = data.indexOf(0x20, at);
		const length = space > at ? Number(data.toString('latin1', at, space)) : Number.NaN;
		if (!Number.isInteger(length) || length <= space - at || at + length > data.length) {
			throw new TarFormatError('an extended header is damaged');
		}
		const record = data.toString('utf8', space + 1, at + length - 1);
		const equals = record.indexOf('=');
		if (equals > 0) records[record.slice(0, equals)] = record.slice(equals + 1);
		at += length;
	}
	return records;
}

/**
 * The files of an archive, in order. GNU long names (`L`) and pax extended headers (`x`, their
 * `path` and `size`) apply to the next entry only; folders, links and other entries are skipped.
 */
export async function* readTar(chunks: AsyncIterable<Buffer>): AsyncGenerator<TarEntry> {
	const queue = new ByteQueue(chunks[Symbol.asyncIterator]());
	/** What a long-name or pax header said about the entry that comes next. */
	let next: { name?: string; size?: number } = {};
	for (;;) {
		const header = await queue.take(BLOCK);
		if (header.length === 0) throw new TarFormatError('the archive ends without its end marker');
		if (header.length < BLOCK) throw new TarFormatError('the archive is cut off inside a header');
		if (header.every((b) => b === 0)) return;
		if (!checksumOk(header)) throw new TarFormatError('a header checksum is wrong');
		const type = String.fromCharCode(header[156] || 0x30);
		const metadata = type === 'L' || type === 'K' || type === 'x' || type === 'g';
		const size = metadata || next.size === undefined ? number(header, 124, 12, 'size') : next.size;
		queue.startBody(size);
		if (metadata) {
			if (size > MAX_META_BYTES)
				throw new TarFormatError('a file name or extended header is longer than 4 KiB');
			const data = Buffer.concat(await collect(queue.body()));
			if (type === 'L') next.name = data.toString('utf8').replace(/\0+$/, '');
			if (type === 'x') {
				const pax = paxRecords(data);
				if (pax.path) next.name = pax.path;
				if (pax.size !== undefined) {
					if (!/^\d+$/.test(pax.size) || !Number.isSafeInteger(Number(pax.size))) {
						throw new TarFormatError('the size in an extended header is not a number');
					}
					next.size = Number(pax.size);
				}
			}
		} else {
			const prefix = field(header, 345, 155);
			const name =
				next.name ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
			next = {};
			if (type === '0' || type === '7') yield { name, size, body: queue.body() };
		}
		await queue.endBody(size);
	}
}

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer[]> {
	const out: Buffer[] = [];
	for await (const chunk of chunks) out.push(chunk);
	return out;
}
