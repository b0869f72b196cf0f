import { sleep } from 'n8n-workflow';

import { type ErrorPlace, unreadableAnswerError } from './errors';
import { networkError, networkFailureOf, type ReadableBody } from './request';

/**
 * A live answer body (videos, archives), read piece by piece. Every wait for the next piece is
 * bounded by the timeout, so a stalled download ends with "did not answer in time" instead of
 * hanging. A failure of the connection ends it as a cut-off (which the retry policy may try
 * again); `failure` remembers what ended it, whoever was reading at the time.
 */
export class LiveBody {
	/** Why reading stopped early, when it did: the error to report (or retry) for this answer. */
	failure: Error | undefined;

	private readonly iterator: AsyncIterator<Buffer>;

	/** Pieces read ahead (the head) and not handed out yet. */
	private held: Buffer[] = [];

	private ended = false;

	constructor(
		private readonly stream: ReadableBody,
		private readonly place: ErrorPlace,
		private readonly host: string,
		private readonly idleMs: number,
	) {
		this.iterator = stream[Symbol.asyncIterator]();
	}

	/** The next piece from the connection, or undefined at the end. */
	private async pull(): Promise<Buffer | undefined> {
		if (this.ended) return undefined;
		const stop = new AbortController();
		const idle = sleep(this.idleMs, stop.signal).then(
			() => 'idle' as const,
			() => undefined,
		);
		const next = await Promise.race([this.iterator.next(), idle]).then(
			(value) => value,
			(error: unknown) => this.fail(this.explain(error)),
		);
		stop.abort();
		if (next instanceof Error) throw next;
		if (next === 'idle') throw this.fail(networkError(this.place, 'timeout', this.host));
		if (next === undefined || next.done) {
			this.ended = true;
			return undefined;
		}
		return next.value;
	}

	/** Only a failure of the connection counts as a cut-off; anything else is no file at all. */
	private explain(error: unknown): Error {
		const failure = networkFailureOf(error);
		if (failure === 'timeout') return networkError(this.place, 'timeout', this.host);
		if (failure === 'truncated' || failure === 'reset')
			return networkError(this.place, 'truncated', this.host);
		return unreadableAnswerError(this.place, 'the file could not be received');
	}

	private fail(error: Error): Error {
		this.failure ??= error;
		this.ended = true;
		this.stream.destroy();
		return this.failure;
	}

	/** Reads ahead until `size` bytes (or the end): the first bytes, still to be handed out. */
	async head(size: number): Promise<Buffer> {
		let length = this.held.reduce((sum, piece) => sum + piece.length, 0);
		while (length < size) {
			const piece = await this.pull();
			if (!piece) break;
			this.held.push(piece);
			length += piece.length;
		}
		return Buffer.concat(this.held).subarray(0, size);
	}

	/** Whether the whole body has been read ahead. */
	get complete(): boolean {
		return this.ended && !this.failure;
	}

	/** Reads ahead up to `limit` bytes; the bytes read ahead so far, whole when `complete`. */
	async readAhead(limit: number): Promise<Buffer> {
		await this.head(limit + 1);
		return Buffer.concat(this.held);
	}

	/** Every piece, the ones read ahead first; `end` runs after the last (e.g. a signature check). */
	async *pieces(onPiece?: (piece: Buffer) => void, end?: () => void): AsyncGenerator<Buffer> {
		for (;;) {
			const piece = this.held.shift() ?? (await this.pull());
			if (!piece) break;
			onPiece?.(piece);
			yield piece;
		}
		try {
			end?.();
		} catch (error) {
			throw this.fail(error as Error);
		}
	}

	destroy() {
		this.ended = true;
		this.stream.destroy();
	}
}

type ReadableClass = {
	from(chunks: AsyncIterable<Buffer>, options: { objectMode: false }): ReadableBody;
};

/**
 * `chunks` as a Node Readable, the class taken from a stream n8n handed us: node code may not
 * import `stream`, and n8n's binary storage takes a Buffer or a Readable.
 */
export function readableOf(origin: ReadableBody, chunks: AsyncIterable<Buffer>): ReadableBody {
	for (let proto = Object.getPrototypeOf(origin); proto; proto = Object.getPrototypeOf(proto)) {
		const candidate = proto.constructor as { name?: string; from?: unknown };
		if (candidate?.name === 'Readable' && typeof candidate.from === 'function') {
			return (candidate as ReadableClass).from(chunks, { objectMode: false });
		}
	}
	throw new Error('the download is not a Node stream');
}
