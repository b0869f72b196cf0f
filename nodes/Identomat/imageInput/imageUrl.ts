import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import {
	itemLabel,
	networkFailureOf,
	type ReadableBody,
	type UploadFile,
} from '../../shared/transport';
import { timeoutOptionMs } from '../actions/shared/parameters';
import { checkedImage } from './checkedImage';
import { internalAddressReason } from './internalAddress';

/**
 * An input image given as a link (a CRM's file URL, a link an agent holds), fetched by the n8n
 * server through n8n's own HTTP helper (its proxy, SSL and SSRF settings apply), at most
 * MAX_IMAGE_MB, and checked from its bytes like an image from a binary field. The link comes from
 * a user, an item or a model, so: internal addresses are refused on every hop (redirects are
 * followed here, one checked hop at a time) unless the node's "Allow Internal Addresses" is on;
 * each wait and the whole fetch have a deadline. Messages name the parameter, the item and the
 * link's host, never the whole link (it may carry an access token).
 */

export const MAX_IMAGE_MB = 10;
const MAX_IMAGE_BYTES = MAX_IMAGE_MB * 1024 * 1024;
const MAX_REDIRECTS = 5;
/** How long one wait (for the answer, for the next piece) may take, unless the Timeout option says otherwise. */
const DEFAULT_IDLE_MS = 30_000;
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

interface Place {
	ctx: IExecuteFunctions;
	itemIndex: number;
	/** e.g. `"Image URL" of item 1`. */
	where: string;
}

function fail(place: Place, message: string, description: string): NodeOperationError {
	return new NodeOperationError(place.ctx.getNode(), message, {
		itemIndex: place.itemIndex,
		description,
	});
}

function parseLink(place: Place, text: string): URL {
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		throw fail(
			place,
			`${place.where} is not a web address`,
			'Enter a full http:// or https:// link to the image, e.g. https://crm.example.com/files/passport.jpg.',
		);
	}
	return url;
}

const INTERNAL_HINT =
	'The n8n server fetches the link itself, so links into its own network (loopback, private, link-local and cloud metadata addresses, names like localhost) are refused: they could reach services that are not meant to be public. Link a public copy of the image; if this workflow must read images from your internal network, turn on "Allow Internal Addresses".';

/** Refuses a link (the one given, or a redirect hop) into an internal network, before connecting. */
function checkAddress(place: Place, url: URL, hop: number, allowInternal: boolean) {
	const reason = allowInternal ? undefined : internalAddressReason(url);
	if (!reason) return;
	const what = hop === 0 ? `${url.host} is` : `it redirects to ${url.host},`;
	throw fail(place, `Refused to fetch ${place.where}: ${what} ${reason}`, INTERNAL_HINT);
}

/** The clock of one fetch: each wait at most `idleMs`, the whole fetch at most twice that. */
class FetchClock {
	readonly deadlineMs: number;

	private readonly endsAt: number;

	/** Cancels the request and its download when the time is up. */
	readonly cancel = new AbortController();

	constructor(readonly idleMs: number) {
		this.deadlineMs = 2 * idleMs;
		this.endsAt = Date.now() + this.deadlineMs;
	}

	/** What `work` gave, or which limit ran out first (the request is then cancelled). */
	async race<T>(work: Promise<T>): Promise<{ value: T } | { late: 'idle' | 'deadline' }> {
		const left = Math.max(0, this.endsAt - Date.now());
		const late = left <= this.idleMs ? ('deadline' as const) : ('idle' as const);
		const stop = new AbortController();
		const timer = sleep(Math.min(left, this.idleMs), stop.signal).then(
			() => ({ late }),
			() => ({ late }),
		);
		try {
			const outcome = await Promise.race([work.then((value) => ({ value })), timer]);
			if ('late' in outcome) this.cancel.abort();
			return outcome;
		} finally {
			stop.abort();
		}
	}
}

const seconds = (ms: number) => (ms === 1000 ? '1 second' : `${ms / 1000} seconds`);

function tooSlow(place: Place, clock: FetchClock, late: 'idle' | 'deadline', host: string) {
	const reason =
		late === 'idle'
			? `${host} did not answer within ${seconds(clock.idleMs)}`
			: `${host} did not send the whole image within ${seconds(clock.deadlineMs)}`;
	return fail(
		place,
		`Could not fetch ${place.where}: ${reason}`,
		`The n8n server fetches the link itself and waits at most ${seconds(clock.idleMs)} for each part of the answer and ${seconds(clock.deadlineMs)} for the whole image. Check that the link answers quickly from the n8n server, or raise the node's Timeout option (Request Options).`,
	);
}

/** The error of n8n's own SSRF protection (N8N_SSRF_PROTECTION_ENABLED), if that is what this is. */
function blockedByN8n(error: unknown): boolean {
	for (
		let current = error as { name?: unknown; cause?: unknown } | undefined, depth = 0;
		current && depth < 5;
		depth++
	) {
		if (current.name === 'SsrfBlockedIpError' || current.name === 'SsrfBlockedHostnameError')
			return true;
		current = current.cause as typeof current;
	}
	return false;
}

function unreachable(place: Place, error: unknown, host: string): NodeOperationError {
	if (blockedByN8n(error)) {
		// The address it resolved to stays unsaid: the message must not map the network.
		return fail(
			place,
			`Refused to fetch ${place.where}: n8n's SSRF protection blocks ${host}`,
			'This n8n instance refuses links that resolve to internal addresses. Link a public copy of the image, or ask your n8n administrator to allow this host (N8N_SSRF_ALLOWED_HOSTNAMES or N8N_SSRF_ALLOWED_IP_RANGES).',
		);
	}
	const reasons: Record<string, string> = {
		refused: `nothing answered at ${host}`,
		dns: `the host name ${host} is unknown`,
		timeout: `${host} did not answer in time`,
		tls: `the secure connection to ${host} could not be established`,
	};
	const reason = reasons[networkFailureOf(error) ?? ''] ?? `the connection to ${host} failed`;
	return fail(
		place,
		`Could not fetch ${place.where}: ${reason}`,
		'The n8n server fetches the link itself (not your browser, not Identomat): check that the address is right and reachable from the n8n server, then try again.',
	);
}

function tooLarge(place: Place): NodeOperationError {
	return fail(
		place,
		`The image at ${place.where} is larger than ${MAX_IMAGE_MB} MB`,
		'Identomat needs a photo, not a full-resolution scan: link a smaller version, or download it and shrink it first (e.g. with the Edit Image node).',
	);
}

/** The body of a live answer, refused as soon as it passes the cap or its time is up. */
async function readCapped(
	place: Place,
	clock: FetchClock,
	body: ReadableBody,
	host: string,
): Promise<Buffer> {
	const pieces: Buffer[] = [];
	const chunks = body[Symbol.asyncIterator]();
	let size = 0;
	let whole = false;
	try {
		for (;;) {
			const next = await clock.race(chunks.next()).catch((error: unknown) => {
				throw unreachable(place, error, host);
			});
			if ('late' in next) throw tooSlow(place, clock, next.late, host);
			if (next.value.done) break;
			size += next.value.value.length;
			if (size > MAX_IMAGE_BYTES) throw tooLarge(place);
			pieces.push(next.value.value);
		}
		whole = true;
	} finally {
		// Stopped early (too large, too slow, cut off): the connection is closed, not left open.
		if (!whole) body.destroy();
	}
	return Buffer.concat(pieces);
}

/** The name the link gives the file (its last path segment, decoded when it can be), made safe later. */
function linkFileName(url: URL): string {
	const last = url.pathname.split('/').pop() ?? '';
	try {
		return decodeURIComponent(last);
	} catch {
		return last; // a malformed escape: kept as written
	}
}

type LiveAnswer = { statusCode: number; headers: Record<string, unknown>; body: ReadableBody };

/**
 * The answer of the link's last hop: redirects are not left to the HTTP client but followed here,
 * each hop's address checked before it is asked.
 */
async function fetchFollowingRedirects(
	place: Place,
	clock: FetchClock,
	first: URL,
	allowInternal: boolean,
): Promise<{ url: URL; response: LiveAnswer }> {
	let url = first;
	for (let hop = 0; ; hop++) {
		checkAddress(place, url, hop, allowInternal);
		const request = place.ctx.helpers.httpRequest({
			method: 'GET',
			url: url.toString(),
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: clock.deadlineMs, // a backstop: the clock decides first
			abortSignal: clock.cancel.signal,
			headers: { accept: 'image/jpeg, image/png;q=0.9, */*;q=0.1' },
		}) as Promise<LiveAnswer>;
		const answer = await clock.race(request).catch((error: unknown) => {
			throw unreachable(place, error, url.host);
		});
		if ('late' in answer) throw tooSlow(place, clock, answer.late, url.host);
		const response = answer.value;
		const location = response.headers.location;
		if (!REDIRECT_STATUSES.includes(response.statusCode) || typeof location !== 'string')
			return { url, response };
		response.body?.destroy?.();
		if (hop === MAX_REDIRECTS) {
			throw fail(
				place,
				`Could not fetch ${place.where}: it redirects more than ${MAX_REDIRECTS} times`,
				'Link the image itself: open the link in a browser and copy the address it ends at.',
			);
		}
		let next: URL | undefined;
		try {
			next = new URL(location, url);
		} catch {
			next = undefined;
		}
		if (!next || (next.protocol !== 'http:' && next.protocol !== 'https:')) {
			throw fail(
				place,
				`Could not fetch ${place.where}: ${url.host} redirects to something that is not a web address`,
				'Link the image itself: open the link in a browser and copy the address it ends at.',
			);
		}
		url = next;
	}
}

/** Fetches the image the URL parameter `parameterName` links to, as the upload `uploadField`. */
export async function fetchInputImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameterName: string,
	displayName: string,
	uploadField: string,
): Promise<UploadFile> {
	const place: Place = { ctx, itemIndex, where: `"${displayName}" of ${itemLabel(itemIndex)}` };
	const text = String(ctx.getNodeParameter(parameterName, itemIndex, '') ?? '').trim();
	if (!text) {
		throw fail(
			place,
			`"${displayName}" is empty in ${itemLabel(itemIndex)}`,
			'Enter the link to a JPEG or PNG photo, or map it from an earlier node with an expression.',
		);
	}
	const allowInternal = ctx.getNodeParameter('allowInternalAddresses', itemIndex, false) === true;
	const clock = new FetchClock(timeoutOptionMs(ctx, itemIndex) ?? DEFAULT_IDLE_MS);
	const { url, response } = await fetchFollowingRedirects(
		place,
		clock,
		parseLink(place, text),
		allowInternal,
	);
	if (response.statusCode < 200 || response.statusCode >= 300) {
		response.body?.destroy?.();
		throw fail(
			place,
			`Could not fetch ${place.where}: ${url.host} answered HTTP ${response.statusCode}`,
			'Check that the link still works and needs no sign-in: the n8n server fetches it without your browser session or cookies.',
		);
	}
	if (Number(response.headers['content-length'] ?? 0) > MAX_IMAGE_BYTES) {
		response.body.destroy();
		throw tooLarge(place);
	}
	const data = await readCapped(place, clock, response.body, url.host);
	return checkedImage(ctx, itemIndex, data, {
		subject: `The file at ${place.where}`,
		uploadField,
		fileName: linkFileName(url),
		emptyHint: `${url.host} sent no bytes: check that the link opens the image.`,
		convertHint:
			'Link the image itself (JPEG or PNG), not a page that shows it: share links of cloud drives often open a web page. Other image formats need converting first.',
	});
}
