import { createHmac } from 'node:crypto';

import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import {
	callIdentomat,
	errorPlace,
	downloadIdentomatFile,
	type IdentomatCall,
	type ReadableBody,
	resultOf,
	streamIdentomatFile,
	verifyDownloadedSignature,
} from '../transport';
import {
	badSignatureError,
	type ErrorPlace,
	errorFromNetwork,
	unreadableAnswerError,
} from '../transport/errors';
import { signaturesMatch } from '../transport/signing';
import { asBinaryKeyData, binaryKeys, chunksToBinary, toBinary } from './binary';
import { decodeDataUri, flattenStrings } from './dataUri';
import { readTar, TarFormatError } from './tar';

/**
 * Files downloaded from Identomat, turned into output items. Each download operation says what to
 * call and how to name the file; this module does the rest: buffered or streamed download, the
 * real type sniffed from the bytes, n8n binary data (memory or filesystem), the signature check,
 * and one item with all files (`data`, `data_1` …) or one item per file.
 */

/** What the files of one call are named after: `<sessionId>-<name>.<extension>`. */
export interface FileNaming {
	sessionId: string;
	/** e.g. `card-front`, `liveness`, `report`. */
	name: string;
	/** Extra JSON fields for the output item(s). */
	json?: IDataObject;
}

const HEAD_BYTES = 512;
const STREAM_ATTEMPTS = 3;

function placeOf(ctx: IExecuteFunctions, call: IdentomatCall): ErrorPlace {
	return errorPlace(ctx, call.itemIndex, call.action);
}

function outputField(ctx: IExecuteFunctions, itemIndex: number): string {
	const name = String(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '').trim();
	if (!name) {
		throw new NodeOperationError(
			ctx.getNode(),
			`"Put Output File in Field" is empty in item ${itemIndex + 1}`,
			{
				itemIndex,
				description: 'Enter the name of the binary field to put the file in, e.g. data.',
			},
		);
	}
	return name;
}

/** The JSON that describes one stored file. */
function describeFile(file: IBinaryData): IDataObject {
	return { fileName: file.fileName, mimeType: file.mimeType, fileSize: file.bytes ?? null };
}

function singleFileItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	naming: FileNaming,
	file: IBinaryData,
): INodeExecutionData[] {
	return [
		{
			json: { sessionId: naming.sessionId, ...describeFile(file), ...naming.json },
			binary: { [outputField(ctx, itemIndex)]: file },
		},
	];
}

/**
 * Several files as items, as the operation's Output option says: one item with every file
 * (`data`, `data_1` …), or one item per file. No file at all: one item saying so.
 */
export function filesToItems(
	ctx: IExecuteFunctions,
	itemIndex: number,
	naming: FileNaming,
	files: IBinaryData[],
	jsonOfFile: (index: number) => IDataObject = () => ({}),
): INodeExecutionData[] {
	const field = outputField(ctx, itemIndex);
	const output = ctx.getNodeParameter('options.output', itemIndex, 'oneItem') as string;
	if (files.length === 0)
		return [{ json: { sessionId: naming.sessionId, ...naming.json, fileCount: 0, files: [] } }];
	if (output === 'itemPerFile') {
		return files.map((file, index) => ({
			json: {
				sessionId: naming.sessionId,
				...naming.json,
				...describeFile(file),
				...jsonOfFile(index),
			},
			binary: { [field]: file },
		}));
	}
	const keys = binaryKeys(field, files.length);
	return [
		{
			json: {
				sessionId: naming.sessionId,
				...naming.json,
				fileCount: files.length,
				files: files.map((file, index) => ({
					binaryPropertyName: keys[index],
					...describeFile(file),
					...jsonOfFile(index),
				})),
			},
			binary: asBinaryKeyData(field, files),
		},
	];
}

/** An image or PDF downloaded whole (the transport checks it for error answers and its signature). */
export async function fileItem(
	ctx: IExecuteFunctions,
	call: IdentomatCall,
	naming: FileNaming,
): Promise<INodeExecutionData[]> {
	const download = await downloadIdentomatFile(ctx, call);
	const file = await toBinary(
		ctx,
		download.data,
		download.head,
		`${naming.sessionId}-${naming.name}`,
		download.contentType,
	);
	return singleFileItem(ctx, call.itemIndex ?? 0, naming, file);
}

/** Whether an exception while reading a download's body means the connection broke off. */
function isCutOff(error: unknown): boolean {
	if (
		error instanceof NodeApiError ||
		error instanceof NodeOperationError ||
		error instanceof TarFormatError
	)
		return false;
	const code = (error as { code?: unknown })?.code;
	// Writing to n8n's storage failed: not a network matter, let n8n's own message through.
	return !(
		typeof code === 'string' &&
		['ENOSPC', 'EACCES', 'EPERM', 'EROFS', 'EMFILE', 'EDQUOT'].includes(code)
	);
}

/**
 * Streams a large download into `consume`, retrying a read-only call from the start when the
 * connection breaks off mid-body (the transport already retries failures before the body).
 */
async function withStream<T>(
	ctx: IExecuteFunctions,
	call: IdentomatCall,
	consume: (download: Awaited<ReturnType<typeof streamIdentomatFile>>) => Promise<T>,
): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		const download = await streamIdentomatFile(ctx, call);
		const outcome = await consume(download).then(
			(value) => ({ ok: true as const, value }),
			(error: unknown) => ({ ok: false as const, error }),
		);
		if (outcome.ok) return outcome.value;
		download.data.destroy();
		if (!isCutOff(outcome.error)) throw outcome.error;
		if (call.readOnly && attempt < STREAM_ATTEMPTS) {
			await sleep(250 * 2 ** (attempt - 1));
			continue;
		}
		throw errorFromNetwork(placeOf(ctx, call), 'truncated', call.host, attempt);
	}
}

/** The bytes of a stored file, read back from n8n's binary data storage (memory or filesystem). */
async function* storedBytes(ctx: IExecuteFunctions, file: IBinaryData): AsyncGenerator<Buffer> {
	if (file.id) {
		for await (const chunk of await ctx.helpers.getBinaryStream(file.id)) yield chunk as Buffer;
	} else {
		yield await ctx.helpers.binaryToBuffer(Buffer.from(file.data, 'base64'));
	}
}

/**
 * A large file (liveness video, recordings archive) streamed into n8n's binary storage without
 * being held whole in memory; with an HMAC secret, its signature is checked over the stored bytes.
 */
export async function streamedFile(
	ctx: IExecuteFunctions,
	call: IdentomatCall,
	naming: FileNaming,
): Promise<IBinaryData> {
	return await withStream(ctx, call, async (download) => {
		const file = await toBinary(
			ctx,
			download.data,
			download.head,
			`${naming.sessionId}-${naming.name}`,
			download.contentType,
		);
		await verifyDownloadedSignature(ctx, call, download.signature, storedBytes(ctx, file));
		return file;
	});
}

export async function streamedFileItem(
	ctx: IExecuteFunctions,
	call: IdentomatCall,
	naming: FileNaming,
): Promise<INodeExecutionData[]> {
	const file = await streamedFile(ctx, call, naming);
	return singleFileItem(ctx, call.itemIndex ?? 0, naming, file);
}

/** The files of a data-URI answer (`{"result": "data:…"}` or nested arrays of them), in order. */
export async function dataUriFiles(
	ctx: IExecuteFunctions,
	call: IdentomatCall,
	naming: FileNaming,
	/** What one file is, for messages: "visual marker", "shot" … */
	what: string,
	/** The name of the n-th file (0-based), without the extension. */
	nameOf: (index: number, count: number) => string = (index, count) =>
		count === 1
			? `${naming.sessionId}-${naming.name}`
			: `${naming.sessionId}-${naming.name}-${index + 1}`,
): Promise<IBinaryData[]> {
	const answer = resultOf<unknown>(await callIdentomat(ctx, call));
	if (typeof answer !== 'string' && !Array.isArray(answer)) {
		throw unreadableAnswerError(placeOf(ctx, call), `it holds no ${what} files`);
	}
	const uris = flattenStrings(answer);
	const files: IBinaryData[] = [];
	for (const [index, uri] of uris.entries()) {
		const decoded = decodeDataUri(uri);
		if (!decoded || decoded.data.length === 0) {
			const which = uris.length === 1 ? `the ${what}` : `${what} ${index + 1} of ${uris.length}`;
			throw unreadableAnswerError(placeOf(ctx, call), `${which} is not a readable base64 data URI`);
		}
		// The declared type is not to be trusted (NOTES.md errata 7): only the bytes decide.
		files.push(
			await toBinary(
				ctx,
				decoded.data,
				decoded.data.subarray(0, HEAD_BYTES),
				nameOf(index, uris.length),
			),
		);
	}
	return files;
}

export async function dataUriItems(
	ctx: IExecuteFunctions,
	call: IdentomatCall,
	naming: FileNaming,
	what: string,
	nameOf?: (index: number, count: number) => string,
	jsonOfFile?: (index: number) => IDataObject,
): Promise<INodeExecutionData[]> {
	const files = await dataUriFiles(ctx, call, naming, what, nameOf);
	return filesToItems(ctx, call.itemIndex ?? 0, naming, files, jsonOfFile);
}

/** One data-URI file (the document face photo): exactly one is expected. */
export async function dataUriFileItem(
	ctx: IExecuteFunctions,
	call: IdentomatCall,
	naming: FileNaming,
	what: string,
): Promise<INodeExecutionData[]> {
	const files = await dataUriFiles(ctx, call, naming, what);
	if (files.length === 0) throw unreadableAnswerError(placeOf(ctx, call), `it holds no ${what}`);
	return singleFileItem(ctx, call.itemIndex ?? 0, naming, files[0]);
}

/** A chunk stream that also feeds every chunk to an HMAC (to check an unpacked archive's signature). */
async function* tapped(
	stream: ReadableBody,
	hmac?: ReturnType<typeof createHmac>,
): AsyncGenerator<Buffer> {
	for await (const chunk of stream) {
		hmac?.update(chunk);
		yield chunk;
	}
}

/** `recording-1.webm` → `recording-1`; folders and unsafe characters dropped. */
function stemOf(entryName: string, index: number): string {
	const base = entryName.split('/').filter(Boolean).pop() ?? '';
	const stem = base
		.replace(/\.[^.]*$/, '')
		.replace(/[^A-Za-z0-9._-]+/g, '-')
		.replace(/^[-.]+|-+$/g, '');
	return stem || `recording-${index + 1}`;
}

/** A damaged archive gets a message of its own; anything else (a cut-off connection …) passes as it is. */
function explainTarError(
	ctx: IExecuteFunctions,
	call: IdentomatCall,
	naming: FileNaming,
	error: unknown,
): unknown {
	if (!(error instanceof TarFormatError)) return error;
	return unreadableAnswerError(
		placeOf(ctx, call),
		`the ${naming.name} archive is damaged (${error.message})`,
		'Run it again. If it keeps happening, turn on the option "Keep as Archive" to get the archive exactly as Identomat sent it, and contact Identomat support.',
	);
}

/**
 * The files of a tar archive (video call recordings), unpacked while it streams in: each entry
 * streams into its own file, so in filesystem mode no recording is ever whole in memory.
 */
export async function unpackedTarFiles(
	ctx: IExecuteFunctions,
	call: IdentomatCall,
	naming: FileNaming,
): Promise<IBinaryData[]> {
	return await withStream(ctx, call, async (download) => {
		const hmac = download.signature ? createHmac('sha256', download.signature.secret) : undefined;
		const source = tapped(download.data, hmac);
		const files: IBinaryData[] = [];
		try {
			// each entry streams into storage before the next one is read
			for await (const entry of readTar(source)) {
				const baseName = `${naming.sessionId}-${stemOf(entry.name, files.length)}`;
				files.push(await chunksToBinary(ctx, download.data, entry.body, HEAD_BYTES, baseName));
			}
		} catch (error) {
			throw explainTarError(ctx, call, naming, error);
		}
		// The end marker may be followed by padding: the signature covers every byte received.
		let rest = await source.next();
		while (!rest.done) rest = await source.next();
		if (
			download.signature &&
			hmac &&
			!signaturesMatch(hmac.digest('base64'), download.signature.received)
		) {
			throw badSignatureError(placeOf(ctx, call), download.signature.received === undefined);
		}
		return files;
	});
}
