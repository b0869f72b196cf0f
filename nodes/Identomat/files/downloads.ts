import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import {
	callEndpoint,
	downloadFromEndpoint,
	type EndpointRequest,
	resultOf,
} from '../../shared/api/call';
import {
	type DataUriEndpoint,
	ENDPOINTS,
	type FileEndpoint,
	type JsonEndpoint,
} from '../../shared/api/endpoints';
import {
	errorPlace,
	type FileAnswer,
	overLimitError,
	unreadableAnswerError,
} from '../../shared/transport';
import { asBinaryKeyData, binaryKeys, chunksToBinary, toBinary } from './binary';
import { decodeDataUri, flattenStrings } from './dataUri';
import { safeFileName } from './fileName';
import { readTar, TarFormatError } from './tar';

/**
 * Files downloaded from Identomat, turned into output items: one function, `downloadItems`, for
 * every download operation. The operation says what to call, how the answer carries its files
 * (`FileSource`) and how to name them; this module stores them as n8n binary data (memory,
 * filesystem or database mode) with their real type, and shapes the items.
 */

/** The endpoints whose answer carries files, and so can be downloaded. */
export type DownloadEndpoint = FileEndpoint | DataUriEndpoint;

/** Where the files go: the binary field named by the operation's output parameter, and, for several files, one item per file or one item with all of them. */
export interface FileOutput {
	field: string;
	itemPerFile: boolean;
	/** An archive stored whole, as one file, instead of unpacked. */
	keepArchive?: boolean;
}

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

function tooManyFiles(
	ctx: IExecuteFunctions,
	request: EndpointRequest,
	naming: FileNaming,
	hint = '',
) {
	return overLimitError(
		errorPlace(ctx, request.itemIndex, request.action),
		`it holds more than ${MAX_FILES_PER_ITEM.toLocaleString('en-US')} files (${naming.label ?? naming.name})`,
		`No files were kept. ${hint}If the session really has that many, contact Identomat support.`,
	);
}

/**
 * Downloads the files of one call and returns the output items for them. How the answer carries
 * them comes from the endpoint's declaration: one file read whole, one large file stored as it
 * arrives, a tar archive unpacked as it arrives (one file per entry), or JSON holding data URIs.
 */
export async function downloadItems(
	ctx: IExecuteFunctions,
	name: DownloadEndpoint,
	request: EndpointRequest,
	naming: FileNaming,
	output: FileOutput,
): Promise<INodeExecutionData[]> {
	const itemIndex = request.itemIndex ?? 0;
	const returns = ENDPOINTS[name].returns;
	if (
		returns === 'file' ||
		returns === 'largeFile' ||
		(returns === 'archive' && output.keepArchive)
	) {
		const file = await downloadFromEndpoint(
			ctx,
			name as FileEndpoint,
			request,
			async (answer) => await storeFile(ctx, answer, `${naming.sessionId}-${naming.name}`),
		);
		return [singleFileItem(naming, output, file)];
	}
	if (returns === 'archive') {
		const files = await downloadFromEndpoint(
			ctx,
			name as FileEndpoint,
			request,
			async (answer) => await unpackArchive(ctx, request, naming, answer),
		);
		return filesToItems(naming, output, files);
	}
	const files = await dataUriFiles(ctx, name as JsonEndpoint, request, naming);
	if (returns === 'dataUris') return filesToItems(naming, output, files);
	if (files.length === 0)
		throw unreadableAnswerError(
			errorPlace(ctx, itemIndex, request.action),
			`it holds no ${naming.label}`,
		);
	return [singleFileItem(naming, output, files[0])];
}

async function storeFile(
	ctx: IExecuteFunctions,
	answer: FileAnswer,
	baseName: string,
): Promise<IBinaryData> {
	const data = answer.bytes ?? answer.readable!(answer.pieces!);
	return await toBinary(ctx, data, answer.head, baseName, answer.contentType);
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
	naming: FileNaming,
	output: FileOutput,
	file: IBinaryData,
): INodeExecutionData {
	return {
		json: { sessionId: naming.sessionId, ...describeFile(file, naming.content), ...naming.json },
		binary: { [output.field]: file },
	};
}

/**
 * Several files as items, as the operation's Output option says: one item with every file
 * (`data`, `data_1` …), or one item per file. No file at all: one item saying so.
 */
function filesToItems(
	naming: FileNaming,
	output: FileOutput,
	files: IBinaryData[],
): INodeExecutionData[] {
	const { field } = output;
	const jsonOfFile = naming.jsonOfFile ?? (() => ({}));
	if (files.length === 0)
		return [{ json: { sessionId: naming.sessionId, ...naming.json, fileCount: 0, files: [] } }];
	if (output.itemPerFile) {
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
	name: JsonEndpoint,
	request: EndpointRequest,
	naming: FileNaming,
): Promise<IBinaryData[]> {
	const place = errorPlace(ctx, request.itemIndex, request.action);
	const answer = resultOf<unknown>(await callEndpoint(ctx, name, request));
	if (typeof answer !== 'string' && !Array.isArray(answer))
		throw unreadableAnswerError(place, `it holds no ${naming.label} files`);
	const uris = flattenStrings(answer);
	if (uris.length > MAX_FILES_PER_ITEM) throw tooManyFiles(ctx, request, naming);
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
	request: EndpointRequest,
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
				throw tooManyFiles(ctx, request, naming, hint);
			}
			const baseName = `${naming.sessionId}-${stemOf(entry.name, files.length)}`;
			files.push(await chunksToBinary(ctx, entry.body, HEAD_BYTES, baseName, answer.readable));
		}
	};
	await unpack().catch((error: unknown) => {
		if (!(error instanceof TarFormatError)) throw error;
		throw unreadableAnswerError(
			errorPlace(ctx, request.itemIndex, request.action),
			`the ${naming.name} archive is damaged (${error.message})`,
			'Run it again. If it keeps happening, turn on the option "Keep as Archive" to get the archive exactly as Identomat sent it, and contact Identomat support.',
		);
	});
	// The end marker may be followed by padding: read to the end, where the signature is checked.
	for (let rest = await source.next(); !rest.done; rest = await source.next());
	return files;
}
