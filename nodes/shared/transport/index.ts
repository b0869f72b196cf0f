import type { IDataObject } from 'n8n-workflow';

import {
	AnswerSignature,
	contentTypeOf,
	judge,
	mayBeText,
	refuseTextAnswer,
	serverDateOf,
} from './answer';
import { baseUrlOf } from './dialect';
import { type ErrorPlace, overLimitError, unreadableAnswerError } from './errors';
import {
	exchange,
	type IdentomatCall,
	type RawAnswer,
	type IdentomatContext,
	identomatCredentials,
	type ReadableBody,
	runSettingsOf,
	waitsOf,
	withRetries,
} from './request';
import { LiveBody, readableOf } from './stream';

/**
 * The only way the nodes talk to Identomat. Every call goes: request (request.ts) → answer judged
 * (answer.ts: errors, redirects, signatures) → result, inside the one retry policy; a streamed
 * download is read piece by piece under an idle timeout (stream.ts) and checked as it passes.
 */

// The transport's front: nothing outside this folder imports its other files.
export type {
	IdentomatCall,
	IdentomatContext,
	ReadableBody,
	RunSettings,
	UploadFile,
} from './request';
export { identomatCredentials, networkFailureOf, setRunSettings } from './request';
export { authenticateIdentomatRequest } from './authenticate';
export {
	DEFAULT_API_BASE_URL,
	DEFAULT_WIDGET_BASE_URL,
	DIALECTS,
	type Host,
	sessionUrl,
} from './dialect';
export {
	ERROR_CODES,
	type ErrorPlace,
	errorFromIdentomat,
	type Explanation,
	itemLabel,
	messageAt,
	overLimitError,
	statusExplanation,
	unfinishedSessionError,
	unreadableAnswerError,
} from './errors';

/** Where a message is about: the node, the item, and what was being done. */
export function errorPlace(ctx: IdentomatContext, itemIndex?: number, action?: string): ErrorPlace {
	return { node: ctx.getNode(), itemIndex, action: action ?? runSettingsOf(ctx).action };
}

async function urlOf(ctx: IdentomatContext, call: IdentomatCall): Promise<URL> {
	return new URL(`${baseUrlOf(await identomatCredentials(ctx), call.host)}/${call.path}`);
}

async function secretOf(ctx: IdentomatContext): Promise<string> {
	return String((await identomatCredentials(ctx)).secretKey ?? '');
}

/**
 * The most of a JSON answer read (README, "Limits"). Identomat's largest answers are data URIs of
 * a session's images, a few MB; an answer past this is refused while it arrives, not parsed.
 */
export const MAX_JSON_ANSWER_MB = 100;

/** A JSON call's whole answer, read under the idle timeout and refused past the size limit. */
async function readJsonAnswer(
	ctx: IdentomatContext,
	call: IdentomatCall,
	place: ErrorPlace,
	host: string,
	timeoutMs: number,
): Promise<RawAnswer<Buffer>> {
	const { status, headers, body } = await exchange<ReadableBody>(ctx, call, place, 'stream', {
		for: 'answer',
		timeoutMs,
	});
	const live = new LiveBody(body, place, host, timeoutMs);
	const bytes = await live.readAhead(MAX_JSON_ANSWER_MB * 1024 * 1024).catch((error: unknown) => {
		live.destroy();
		throw live.failure ?? error;
	});
	if (!live.complete) {
		live.destroy();
		throw overLimitError(
			place,
			`it is larger than ${MAX_JSON_ANSWER_MB} MB`,
			'Nothing of it was kept. Check the base URLs in the Identomat credential: they may point at a server that is not Identomat. If they are right, contact Identomat support.',
		);
	}
	return { status, headers, body: bytes };
}

/** A JSON call: the parsed answer, checked for Identomat's error shapes and its signature. */
export async function callIdentomat<T = unknown>(
	ctx: IdentomatContext,
	call: IdentomatCall,
): Promise<T> {
	return (await callIdentomatDated<T>(ctx, call)).answer;
}

/** A JSON call, with Identomat's clock when it answered (its `Date` header, whole seconds) when it sent one. */
export async function callIdentomatDated<T = unknown>(
	ctx: IdentomatContext,
	call: IdentomatCall,
): Promise<{ answer: T; serverDate?: Date }> {
	const place = errorPlace(ctx, call.itemIndex, call.action);
	const url = await urlOf(ctx, call);
	const secret = await secretOf(ctx);
	return await withRetries(call, waitsOf(ctx, call, 'answer'), async (timeoutMs) => {
		const { status, headers, body } = await readJsonAnswer(ctx, call, place, url.host, timeoutMs);
		const signature = AnswerSignature.ofWhole(place, secret, headers, body);
		const answer = judge(place, url.href, status, headers, body);
		signature.verify();
		if (answer.kind !== 'json') throw unreadableAnswerError(place, 'it is not JSON');
		return { answer: answer.value as T, serverDate: serverDateOf(headers) };
	});
}

/** A downloaded file, as handed to the code that stores it. */
export interface FileAnswer {
	/** The type Identomat declared (not to be trusted: see docs/identomat-api.md, "Files"). */
	contentType?: string;
	/** The first bytes (up to 512), to tell the real type from. */
	head: Buffer;
	/** The whole file, when it was read whole. */
	bytes?: Buffer;
	/** Otherwise the file's bytes as they arrive, to be read once. */
	pieces?: AsyncIterable<Buffer>;
	/** Wraps pieces (these, or part of them) into a Node Readable, as n8n's binary storage takes. */
	readable?: (pieces: AsyncIterable<Buffer>) => ReadableBody;
}

const HEAD_BYTES = 512;
/** The most of a streamed answer read ahead to judge one that is not a file, or a small file. */
const READ_AHEAD_LIMIT = 1024 * 1024;

/**
 * Downloads one file and hands it to `store` (which puts it into n8n's binary storage).
 * `buffered`: read whole first (images, PDFs); `streamed`: handed over as it arrives, never whole
 * in memory (videos, archives), every wait for a piece bounded by the timeout, the signature
 * computed as the bytes pass. Either way the retry policy covers the whole download, storing
 * included: a read cut off midway is downloaded again from the start.
 */
export async function downloadIdentomatFile<T>(
	ctx: IdentomatContext,
	call: IdentomatCall,
	mode: 'buffered' | 'streamed',
	store: (file: FileAnswer) => Promise<T>,
): Promise<T> {
	const place = errorPlace(ctx, call.itemIndex, call.action);
	const url = await urlOf(ctx, call);
	const secret = await secretOf(ctx);

	/** A whole answer: an error, something that is no file, or the file. */
	const wholeFile = (status: number, headers: IDataObject, bytes: Buffer): FileAnswer => {
		const signature = AnswerSignature.ofWhole(place, secret, headers, bytes);
		if (status >= 300 || mayBeText(bytes)) {
			if (judge(place, url.href, status, headers, bytes).kind !== 'other')
				throw refuseTextAnswer(place);
		}
		signature.verify();
		if (bytes.length === 0) throw unreadableAnswerError(place, 'the file is empty');
		return { contentType: contentTypeOf(headers), head: bytes.subarray(0, HEAD_BYTES), bytes };
	};

	const waits = waitsOf(ctx, call, 'file');
	if (mode === 'buffered') {
		return await withRetries(call, waits, async (timeoutMs) => {
			const wait = { for: 'file', timeoutMs } as const;
			const { status, headers, body } = await exchange<Buffer>(
				ctx,
				call,
				place,
				'arraybuffer',
				wait,
			);
			return await store(wholeFile(status, headers, Buffer.from(body)));
		});
	}

	return await withRetries(call, waits, async (timeoutMs) => {
		const wait = { for: 'file', timeoutMs } as const;
		const { status, headers, body } = await exchange<ReadableBody>(
			ctx,
			call,
			place,
			'stream',
			wait,
		);
		const live = new LiveBody(body, place, url.host, timeoutMs);
		try {
			const head = await live.head(HEAD_BYTES);
			if (status >= 300 || mayBeText(head) || live.complete) {
				const start = await live.readAhead(READ_AHEAD_LIMIT);
				// An error answer (judged on its first megabyte at most), or a small file.
				if (status >= 300 || live.complete) return await store(wholeFile(status, headers, start));
			}
			// Past the first bytes this is a file, no error: unsigned, it is refused before it is stored.
			const signature = new AnswerSignature(place, secret, headers);
			signature.refuseIfUnsigned();
			const pieces = live.pieces(
				(piece) => signature.update(piece),
				() => signature.verify(),
			);
			const stored = await store({
				contentType: contentTypeOf(headers),
				head,
				pieces,
				readable: (chunks) => readableOf(body, chunks),
			});
			if (live.failure) throw live.failure;
			return stored;
		} catch (error) {
			// What ended the download (a cut-off, a stall, a bad signature) explains more than what
			// the storage made of it.
			live.destroy();
			throw live.failure ?? error;
		}
	});
}
