import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	callIdentomat,
	downloadIdentomatFile,
	errorPlace,
	type FileAnswer,
	type IdentomatCall,
	resultOf,
} from '../transport';
import { overLimitError, unreadableAnswerError } from '../transport/errors';
import { asBinaryKeyData, binaryKeys, chunksToBinary, toBinary } from './binary';
import { decodeDataUri, flattenStrings } from './dataUri';
import { safeFileName } from './fileName';
import { readTar, TarFormatError } from './tar';
import { itemLabel } from './itemLabel';

/**
 * Files downloaded from Identomat, turned into output items: one function, `downloadItems`, for
 * every download operation. The operation says what to call, how the answer carries its files
 * (`FileSource`) and how to name them; this module stores them as n8n binary data (memory,
 * filesystem or database mode) with their real type, and shapes the items.
 */

/**
 * How an answer carries its files: `file`, one file read whole (images, PDFs); `streamedFile`, one
 * large file stored as it arrives (videos, archives kept whole); `archive`, a tar archive unpacked
 * as it arrives, one file per entry; `dataUri`/`dataUris`, JSON holding one / several data URIs.
 */
export type FileSource = 'file' | 'streamedFile' | 'archive' | 'dataUri' | 'dataUris';

/** What the files of one call are named after: `<sessionId>-<name>.<extension>`. */
export interface FileNaming {
	sessionId: string;
	/** e.g. `card-front`, `liveness`, `report`. */
	name: string;
	/** What one file is, for messages: "visual marker", "shot" … */
	label?: string;
	/**
	 * What the file is, in the JSON beside it, e.g. "photo of the front of the identity document":
	 * an agent using the node as a tool gets only the JSON, never the file.
	 */
	content?: string;
	/** Extra JSON fields for the output item(s). */
	json?: IDataObject;
	/** The name of the n-th of several files (0-based), without the extension. */
	nameOf?: (index: number, count: number) => string;
	/** Extra JSON fields describing the n-th of several files. */
	jsonOfFile?: (index: number) => IDataObject;
}

const HEAD_BYTES = 512;

/**
 * The most files one item takes from one archive or one data-URI answer (README, "Limits"): a
 * session has a handful of recordings or markers; thousands would swamp the workflow downstream.
 */
export const MAX_FILES_PER_ITEM = 1000;

function tooManyFiles(ctx: IExecuteFunctions, call: IdentomatCall, naming: FileNaming, hint = '') {
	return overLimitError(
		errorPlace(ctx, call.itemIndex, call.action),
		`it holds more than ${MAX_FILES_PER_ITEM.toLocaleString('en-US')} files (${naming.label ?? naming.name})`,
		`No files were kept. ${hint}If the session really has that many, contact Identomat support.`,
	);
}

/** Downloads the files of one call and returns the output items for them. */
export async function downloadItems(
	ctx: IExecuteFunctions,
	call: IdentomatCall,
	source: FileSource,
	naming: FileNaming,
): Promise<INodeExecutionData[]> {
	const itemIndex = call.itemIndex ?? 0;
	if (source === 'file' || source === 'streamedFile') {
		const mode = source === 'file' ? 'buffered' : 'streamed';
		const file = await downloadIdentomatFile(
			ctx,
			call,
			mode,
			async (answer) => await storeFile(ctx, answer, `${naming.sessionId}-${naming.name}`),
		);
		return [singleFileItem(ctx, itemIndex, naming, file)];
	}
	if (source === 'archive') {
		const files = await downloadIdentomatFile(
			ctx,
			call,
			'streamed',
			async (answer) => await unpackArchive(ctx, call, naming, answer),
		);
		return filesToItems(ctx, itemIndex, naming, files);
	}
	const files = await dataUriFiles(ctx, call, naming);
	if (source === 'dataUris') return filesToItems(ctx, itemIndex, naming, files);
	if (files.length === 0)
		throw unreadableAnswerError(
			errorPlace(ctx, itemIndex, call.action),
			`it holds no ${naming.label}`,
		);
	return [singleFileItem(ctx, itemIndex, naming, files[0])];
}

async function storeFile(
	ctx: IExecuteFunctions,
	answer: FileAnswer,
	baseName: string,
): Promise<IBinaryData> {
	const data = answer.bytes ?? answer.readable!(answer.pieces!);
	return await toBinary(ctx, data, answer.head, baseName, answer.contentType);
}

function outputField(ctx: IExecuteFunctions, itemIndex: number): string {
	const name = String(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '').trim();
	if (!name) {
		throw new NodeOperationError(
			ctx.getNode(),
			`"Put Output File in Field" is empty in ${itemLabel(itemIndex)}`,
			{
				itemIndex,
				description: 'Enter the name of the binary field to put the file in, e.g. data.',
			},
		);
	}
	return name;
}

/** The JSON that describes one stored file: what it is, its name, type and size. */
function describeFile(file: IBinaryData, content?: string): IDataObject {
	return {
		...(content && { content }),
		fileName: file.fileName,
		mimeType: file.mimeType,
		fileSize: file.bytes ?? null,
	};
}

function singleFileItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	naming: FileNaming,
	file: IBinaryData,
): INodeExecutionData {
	return {
		json: { sessionId: naming.sessionId, ...describeFile(file, naming.content), ...naming.json },
		binary: { [outputField(ctx, itemIndex)]: file },
	};
}

/**
 * Several files as items, as the operation's Output option says: one item with every file
 * (`data`, `data_1` …), or one item per file. No file at all: one item saying so.
 */
function filesToItems(
	ctx: IExecuteFunctions,
	itemIndex: number,
	naming: FileNaming,
	files: IBinaryData[],
): INodeExecutionData[] {
	const field = outputField(ctx, itemIndex);
	const jsonOfFile = naming.jsonOfFile ?? (() => ({}));
	const output = ctx.getNodeParameter('options.output', itemIndex, 'oneItem') as string;
	if (files.length === 0)
		return [{ json: { sessionId: naming.sessionId, ...naming.json, fileCount: 0, files: [] } }];
	if (output === 'itemPerFile') {
		return files.map((file, index) => ({
			json: {
				sessionId: naming.sessionId,
				...naming.json,
				...describeFile(file, naming.content),
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
					...describeFile(file, naming.content),
					...jsonOfFile(index),
				})),
			},
			binary: asBinaryKeyData(field, files),
		},
	];
}

/** The files of a data-URI answer (`{"result": "data:…"}` or nested arrays of them), in order. */
async function dataUriFiles(
	ctx: IExecuteFunctions,
	call: IdentomatCall,
	naming: FileNaming,
): Promise<IBinaryData[]> {
	const place = errorPlace(ctx, call.itemIndex, call.action);
	const answer = resultOf<unknown>(await callIdentomat(ctx, call));
	if (typeof answer !== 'string' && !Array.isArray(answer))
		throw unreadableAnswerError(place, `it holds no ${naming.label} files`);
	const uris = flattenStrings(answer);
	if (uris.length > MAX_FILES_PER_ITEM) throw tooManyFiles(ctx, call, naming);
	const nameOf =
		naming.nameOf ??
		((index: number, count: number) =>
			count === 1
				? `${naming.sessionId}-${naming.name}`
				: `${naming.sessionId}-${naming.name}-${index + 1}`);
	const files: IBinaryData[] = [];
	for (const [index, uri] of uris.entries()) {
		const data = decodeDataUri(uri);
		if (!data || data.length === 0) {
			const which =
				uris.length === 1
					? `the ${naming.label}`
					: `${naming.label} ${index + 1} of ${uris.length}`;
			throw unreadableAnswerError(place, `${which} is not a readable base64 data URI`);
		}
		// The declared type is not to be trusted (docs/identomat-api.md, "Files"): only the bytes decide.
		files.push(await toBinary(ctx, data, data.subarray(0, HEAD_BYTES), nameOf(index, uris.length)));
	}
	return files;
}

/** `calls/recording-1.webm` → `recording-1`: the folders and the extension dropped (the name is made safe later). */
function stemOf(entryName: string, index: number): string {
	const base = entryName.split(/[/\\]/).pop() ?? '';
	const stem = base.replace(/\.[^.]*$/, '');
	return safeFileName(stem, '', '') ? stem : `recording-${index + 1}`;
}

async function* whole(bytes: Buffer): AsyncGenerator<Buffer> {
	yield bytes;
}

/**
 * The files of a tar archive (video call recordings), unpacked while it streams in: each entry
 * streams into its own file, so in filesystem mode no recording is ever whole in memory.
 */
async function unpackArchive(
	ctx: IExecuteFunctions,
	call: IdentomatCall,
	naming: FileNaming,
	answer: FileAnswer,
): Promise<IBinaryData[]> {
	const source = (answer.pieces ?? whole(answer.bytes!))[Symbol.asyncIterator]();
	const files: IBinaryData[] = [];
	const unpack = async () => {
		// each entry streams into storage before the next one is read
		for await (const entry of readTar({ [Symbol.asyncIterator]: () => source })) {
			if (files.length === MAX_FILES_PER_ITEM) {
				const hint = 'The option "Keep as Archive" stores the archive whole, as one file. ';
				throw tooManyFiles(ctx, call, naming, hint);
			}
			const baseName = `${naming.sessionId}-${stemOf(entry.name, files.length)}`;
			files.push(await chunksToBinary(ctx, entry.body, HEAD_BYTES, baseName, answer.readable));
		}
	};
	await unpack().catch((error: unknown) => {
		if (!(error instanceof TarFormatError)) throw error;
		throw unreadableAnswerError(
			errorPlace(ctx, call.itemIndex, call.action),
			`the ${naming.name} archive is damaged (${error.message})`,
			'Run it again. If it keeps happening, turn on the option "Keep as Archive" to get the archive exactly as Identomat sent it, and contact Identomat support.',
		);
	});
	// The end marker may be followed by padding: read to the end, where the signature is checked.
	for (let rest = await source.next(); !rest.done; rest = await source.next());
	return files;
}
