import type { IBinaryData, IBinaryKeyData, IExecuteFunctions } from 'n8n-workflow';

import type { ReadableBody } from '../../shared/transport';
import { safeFileName } from './fileName';
import { fileTypeOf } from './fileType';

/**
 * Files in and out as real n8n binary data. Output files get their type from their bytes, an
 * extension and a name that says what they are; input images are read by imageInput/.
 */

export async function toBinary(
	ctx: IExecuteFunctions,
	data: Buffer | ReadableBody,
	head: Buffer,
	baseName: string,
	declaredType?: string,
): Promise<IBinaryData> {
	const type = fileTypeOf(head, declaredType);
	// The stream type is Node's Readable; the transport only describes the part it uses.
	return await ctx.helpers.prepareBinaryData(
		data as Buffer,
		safeFileName(baseName, type.extension),
		type.mimeType,
	);
}

/** The first `size` bytes of a chunk stream (fewer if it is shorter), and the whole stream again. */
async function peek(
	chunks: AsyncIterator<Buffer>,
	size: number,
): Promise<{ head: Buffer; all: AsyncGenerator<Buffer> }> {
	const seen: Buffer[] = [];
	let length = 0;
	let ended = false;
	while (length < size) {
		const next = await chunks.next();
		if (next.done) {
			ended = true;
			break;
		}
		seen.push(next.value);
		length += next.value.length;
	}
	async function* all() {
		yield* seen;
		if (ended) return;
		for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
	}
	return { head: Buffer.concat(seen).subarray(0, size), all: all() };
}

/**
 * A file that arrives as chunks (a recording inside an archive), stored as it streams: its type
 * comes from its first bytes. With `readable` (from the download) it is never whole in memory in
 * filesystem mode; without, it is put together first (a small archive that arrived whole).
 */
export async function chunksToBinary(
	ctx: IExecuteFunctions,
	chunks: AsyncIterator<Buffer>,
	headBytes: number,
	baseName: string,
	readable?: (pieces: AsyncIterable<Buffer>) => ReadableBody,
): Promise<IBinaryData> {
	const { head, all } = await peek(chunks, headBytes);
	const data = readable ? readable(all) : Buffer.concat(await collect(all));
	return await toBinary(ctx, data, head, baseName);
}

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer[]> {
	const out: Buffer[] = [];
	for await (const chunk of chunks) out.push(chunk);
	return out;
}

/** `data`, `data_1`, `data_2` …: where the files of one item go. */
export function binaryKeys(propertyName: string, count: number): string[] {
	return Array.from({ length: count }, (_, i) => (i === 0 ? propertyName : `${propertyName}_${i}`));
}

export function asBinaryKeyData(propertyName: string, files: IBinaryData[]): IBinaryKeyData {
	const keys = binaryKeys(propertyName, files.length);
	return Object.fromEntries(files.map((file, i) => [keys[i], file]));
}
