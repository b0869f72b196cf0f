import type { IBinaryData, IBinaryKeyData, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ReadableBody, UploadFile } from '../transport';
import { safeFileName } from './fileName';
import { fileTypeOf, sniffFileType } from './fileType';
import { itemLabel } from './itemLabel';

/**
 * Files in and out as real n8n binary data. Output files get their type from their bytes, an
 * extension and a name that says what they are; input files are read through n8n's binary data
 * service, so they work in every binary data mode (memory, filesystem, database).
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

const ACCEPTED_IMAGES = ['image/jpeg', 'image/png'];

/** Whether bytes look like a web page (a link to a page showing the image, not the image). */
function looksLikeHtml(data: Buffer): boolean {
	return /^\s*</.test(data.subarray(0, 64).toString('latin1'));
}

/**
 * Checks that `data` is a JPEG or PNG photo and returns it as the upload `uploadField`. `subject`
 * says where it came from in the messages, e.g. `The file in the binary field "data" of item 1`;
 * `convertHint` is how to fix a file of another type.
 */
export function checkedImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	data: Buffer,
	spec: {
		subject: string;
		uploadField: string;
		/** The name it came with (a link's last segment, an input file's name), made safe here. */
		fileName?: string;
		emptyHint: string;
		convertHint: string;
	},
): UploadFile {
	const node = ctx.getNode();
	if (data.length === 0) {
		throw new NodeOperationError(node, `${spec.subject} is empty`, {
			itemIndex,
			description: spec.emptyHint,
		});
	}
	// The whole head: a WebM video is told from other Matroska files by a word past byte 16.
	const type = sniffFileType(data.subarray(0, 512));
	if (!type || !ACCEPTED_IMAGES.includes(type.mimeType)) {
		const found = type
			? `${type.label}, not a JPEG or PNG image`
			: looksLikeHtml(data)
				? 'a web page (HTML), not a JPEG or PNG image'
				: 'neither a JPEG nor a PNG image';
		throw new NodeOperationError(node, `${spec.subject} is ${found}`, {
			itemIndex,
			description: spec.convertHint,
		});
	}
	// The extension follows the bytes, whatever the name said.
	const extension = type.mimeType === 'image/png' ? 'png' : 'jpg';
	const stem = (spec.fileName ?? '').replace(/\.[^./\\]*$/, '');
	const fileName = safeFileName(stem, extension, spec.uploadField);
	return { field: spec.uploadField, data, fileName, mimeType: type.mimeType };
}

/** An image from the item's binary field, checked to be a JPEG or PNG before it is sent. */
export async function readInputImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameterName: string,
	uploadField: string,
): Promise<UploadFile> {
	const node = ctx.getNode();
	const propertyName = String(ctx.getNodeParameter(parameterName, itemIndex)).trim();
	const item = ctx.getInputData()[itemIndex];
	const available = Object.keys(item?.binary ?? {});
	if (!propertyName || !available.includes(propertyName)) {
		throw new NodeOperationError(
			node,
			`No file in the binary field "${propertyName}" of ${itemLabel(itemIndex)}`,
			{
				itemIndex,
				description: available.length
					? `The parameter names "${propertyName}", but this item's files are in: ${available.map((k) => `"${k}"`).join(', ')}. Enter one of those names.`
					: 'This item carries no file. Put a node that loads the image before this one (for example a form upload, Read/Write Files from Disk, or an HTTP Request that downloads it), or choose Image Source: Image URL.',
			},
		);
	}
	const metadata = ctx.helpers.assertBinaryData(itemIndex, propertyName);
	const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	return checkedImage(ctx, itemIndex, data, {
		subject: `The file in the binary field "${propertyName}" of ${itemLabel(itemIndex)}`,
		uploadField,
		fileName: metadata.fileName,
		emptyHint: 'Check the node that produced the file: it wrote no bytes.',
		convertHint:
			'Identomat reads JPEG (or PNG) photos. Convert the file first, for example with the Edit Image node (option Format: jpeg), or pick the field that holds the photo.',
	});
}
