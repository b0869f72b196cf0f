import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/**
 * Every way an Identomat call can fail, turned into a message a business analyst can act on.
 * Messages are built only from our own texts, the error code and the HTTP status: never from the
 * request, so the company key, the HMAC secret and personal data cannot leak into them.
 */

export interface Explanation {
	message: string;
	hint: string;
}

const WRONG_KEY: Explanation = {
	message: 'Identomat did not accept the company key',
	hint: 'Open the Identomat credential and paste the company key again from Identomat (Company settings → API access). Check that the base URLs belong to the same environment as the key.',
};

const IMAGE_UNREADABLE: Explanation = {
	message: 'Identomat could not open the image',
	hint: 'The file may be damaged, cut off or in a format Identomat does not read. Send a complete JPEG or PNG photo; convert other formats first, for example with the Edit Image node (option Format: jpeg).',
};

const NO_DOCUMENT: Explanation = {
	message: 'Identomat found no document in the image',
	hint: 'Send a sharp, well-lit photo of the whole document side: flat, uncropped, without glare. Check that the operation matches the document and side in the photo (e.g. Read Passport for the photo page of a passport).',
};

/** The documented error codes (docs/identomat-api.md, "Errors") and the ones seen in practice. */
export const ERROR_CODES: Record<string, Explanation> = {
	'session-not-found': {
		message: 'Identomat has no session with this ID',
		hint: 'Check the Session ID: it may be mistyped, or the session was deleted or has expired (unfinished sessions expire after 15 minutes by default).',
	},
	'wrong-parameters': {
		message: 'Identomat rejected the parameters of this request',
		hint: 'Check that every required field of this operation is filled in and has the expected format (IDs, dates in ISO 8601, numbers).',
	},
	'invalid-access': {
		message: 'This company key may not access that session or feature',
		hint: 'Use the key of the company that created the session, or ask Identomat to enable this feature for your company.',
	},
	'invalid-company-key': WRONG_KEY,
	'company-missing': WRONG_KEY,
	COMPANY_KEY_INVALID: WRONG_KEY,
	'access-denied': {
		message: 'Your Identomat plan or company key does not allow this operation',
		hint: 'Ask Identomat to enable screening (AML) for your company, or use a key that has it.',
	},
	'already-exists': {
		message: 'This record already exists in Identomat',
		hint: 'Nothing was added. Use the matching "Get Many" operation to find the existing record and its ID.',
	},
	'not-found': {
		message: 'Identomat found nothing with this ID',
		hint: 'Check the ID. The record may have been removed already, or the session has no such file or video call.',
	},
	'face-photo-not-found': {
		message: "The session's document has no face photo",
		hint: 'The person did not complete the document step, or the document has no portrait. Check the session result first.',
	},
	'invalid-email-format': {
		message: 'Identomat did not accept the email address',
		hint: 'Enter a complete address such as name@example.com.',
	},
	'password-too-short': {
		message: 'The password is too short',
		hint: 'Use a password of at least 8 characters.',
	},
	'invalid-rights': {
		message: 'Identomat did not accept the roles',
		hint: 'Choose roles from: Call Center Operator, Operator, Administrator.',
	},
	'user-already-exists': {
		message: 'A user with this email address already exists',
		hint: 'Use another email address, or find the existing user with User → Get Many.',
	},
	'invalid-signature': {
		message: 'Identomat could not verify the request signature',
		hint: 'Check the HMAC Secret Key in the credential: it must be the secret issued together with this company key. Leave it empty if your company key is not an HMAC key.',
	},
	INVALID_IMAGE: IMAGE_UNREADABLE,
	DOCUMENT_NOT_FOUND: NO_DOCUMENT,
	NO_DOCUMENT: NO_DOCUMENT,
};

export interface ErrorPlace {
	node: INode;
	itemIndex?: number;
	/** What was being done, e.g. "Session → Get Result", to open the message with. */
	action?: string;
}

/** How every message names an item: 1-based, as a person counts ("item 1" is the first). */
export function itemLabel(itemIndex: number) {
	return `item ${itemIndex + 1}`;
}

/**
 * The one way a message says where it failed: what was being done, then what happened, e.g.
 * "Session → Get Result: Identomat did not accept the company key". Without an action, the
 * sentence starts the message.
 */
export function messageAt(place: Pick<ErrorPlace, 'action'>, text: string): string {
	if (place.action) return `${place.action}: ${text}`;
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * `httpCode` is what n8n shows as the error code: the HTTP status of a failed answer, or, for an
 * error Identomat sent with HTTP 200 (which would read as success), its own code or nothing.
 */
function apiError(
	place: ErrorPlace,
	explanation: Explanation,
	details: JsonObject,
	httpCode?: number | string,
) {
	const message = messageAt(place, explanation.message);
	// A fresh, plain error response: nothing of the request or the raw answer rides along.
	return new NodeApiError(place.node, { message, ...details } as JsonObject, {
		message,
		description: explanation.hint,
		httpCode: httpCode === undefined ? undefined : String(httpCode),
		itemIndex: place.itemIndex,
	});
}

/** Short and plain enough to be a code (`session-not-found`, `INVALID_IMAGE`), not free text. */
const CODE_LIKE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * An error body Identomat sent: `{"argumentError": code}` or a bare code (`code`), or
 * `{"internalError": …}` (no code: its text is never shown, it may echo what was sent).
 */
export function errorFromIdentomat(place: ErrorPlace, answer: { code?: string }, status: number) {
	const code = answer.code !== undefined && CODE_LIKE.test(answer.code) ? answer.code : undefined;
	const failedStatus = status >= 300 ? status : undefined;
	if (answer.code === undefined) {
		return apiError(
			place,
			{
				message: 'Identomat could not process the request',
				hint: 'Identomat reported an internal error. Check the values sent (for example, text where a number is expected), then try again later.',
			},
			{ identomatCode: 'internalError' },
			failedStatus,
		);
	}
	const known = code !== undefined && Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
	const explanation = (known && ERROR_CODES[code!]) || {
		message: code
			? `Identomat refused the request (code "${code}")`
			: `Identomat refused the request with an unrecognised answer (HTTP ${status})`,
		hint: `Check the parameters of this operation. If it keeps happening, contact Identomat support${code ? ' and quote the code' : ''}.`,
	};
	return apiError(
		place,
		explanation,
		code ? { identomatCode: code } : { reason: 'unrecognised' },
		failedStatus ?? code,
	);
}

/** What an HTTP status that is no answer of Identomat's means, and what to do. */
export function statusExplanation(
	status: number,
	kind: 'json' | 'html' | 'other',
	attempts = 1,
): Explanation {
	const retried = attempts > 1 ? ` It was tried ${attempts} times.` : '';
	if (status === 401 || status === 403) return WRONG_KEY;
	if (status === 404) {
		return {
			message: `Identomat does not know this address (HTTP 404)`,
			hint: 'Check the Widget API Base URL and API Base URL in the credential (defaults: https://widget.identomat.com/external-api and https://external-api.identomat.com).',
		};
	}
	if (status === 429) {
		return {
			message: 'Identomat is receiving too many requests right now (HTTP 429)',
			hint: `Wait a moment and run again, or send fewer items at once.${retried}`,
		};
	}
	const page = kind === 'html' ? ' with a web page instead of data' : '';
	return {
		message: `Identomat is not available right now: it answered${page} (HTTP ${status})`,
		hint: `This is usually temporary. Try again in a few minutes; if it persists, check Identomat's status or your proxy.${retried}`,
	};
}

export function errorFromStatus(
	place: ErrorPlace,
	status: number,
	kind: 'json' | 'html' | 'other',
	attempts: number,
) {
	const reason = status === 429 ? 'rate-limit' : 'status';
	return apiError(place, statusExplanation(status, kind, attempts), { reason }, status);
}

/** Where a redirect points, without its query (which could carry anything): for the message only. */
function redirectTarget(location: string | undefined, requestUrl: string): string {
	if (!location) return '';
	try {
		const url = new URL(location, requestUrl);
		return ` to ${url.origin}${url.pathname}`;
	} catch {
		return '';
	}
}

/** Identomat (or something in front of it) answered a POST with a redirect, which the node does not follow. */
export function errorFromRedirect(
	place: ErrorPlace,
	status: number,
	location: string | undefined,
	requestUrl: string,
) {
	return apiError(
		place,
		{
			message: `Identomat answered with a redirect${redirectTarget(location, requestUrl)} (HTTP ${status})`,
			hint: "The node does not follow redirects, so the company key is never sent on to another address. Put the exact Identomat addresses in the credential's Widget API Base URL and API Base URL, starting with https:// (defaults: https://widget.identomat.com/external-api and https://external-api.identomat.com).",
		},
		{ reason: 'status' },
		status,
	);
}

export type NetworkFailure =
	| 'refused'
	| 'reset'
	| 'timeout'
	| 'silent'
	| 'dns'
	| 'truncated'
	| 'tls'
	| 'other';

/**
 * `timeout`: a file did not come in time (it may be large); `silent`: a data answer did not come
 * at all, retries included.
 */
export function errorFromNetwork(
	place: ErrorPlace,
	failure: NetworkFailure,
	address: string,
	attempts: number,
	waitedMs = 0,
) {
	const retried = attempts > 1 ? ` It was tried ${attempts} times.` : '';
	const seconds = Math.max(1, Math.round(waitedMs / 1000));
	const texts: Record<NetworkFailure, Explanation> = {
		refused: {
			message: `Could not connect to Identomat at ${address}`,
			hint: `Nothing answered at that address. Check the base URLs in the Identomat credential and your network or proxy settings.${retried}`,
		},
		dns: {
			message: `Could not find the Identomat server ${address}`,
			hint: 'Check the spelling of the base URLs in the Identomat credential and that this n8n instance can resolve public host names.',
		},
		reset: {
			message: 'The connection to Identomat was cut off before an answer arrived',
			hint: `This is usually temporary: run the workflow again. If the operation creates or deletes something, check in Identomat whether it happened before retrying.${retried}`,
		},
		truncated: {
			message: 'The answer from Identomat was cut off before it was complete',
			hint: `Nothing was saved from this answer. Run it again; if it keeps happening, a proxy may be limiting response sizes.${retried}`,
		},
		timeout: {
			message: 'Identomat did not answer in time',
			hint: `Try again later, or raise the Timeout option of this node for large files.${retried}`,
		},
		silent: {
			message: 'Identomat is not answering',
			hint: `It sent no answer within ${seconds} seconds${attempts > 1 ? ` (tried ${attempts} times)` : ''}. Try again in a few minutes; if it keeps happening, check Identomat's status and your network or proxy. If the operation creates or deletes something, check in Identomat whether it happened before running it again.`,
		},
		tls: {
			message: 'The secure connection to Identomat could not be established',
			hint: "Check the base URLs (https) and, behind a corporate proxy, n8n's certificate settings.",
		},
		other: {
			message: 'The request to Identomat failed before an answer arrived',
			hint: `Check the base URLs in the Identomat credential and the network, then try again.${retried}`,
		},
	};
	return apiError(place, texts[failure], { reason: failure });
}

/** A file asked for while the session is not finished: Identomat has none yet. */
export function unfinishedSessionError(place: ErrorPlace, result: string) {
	const state = CODE_LIKE.test(result) ? ` (Identomat reports it as "${result}")` : '';
	return apiError(
		place,
		{
			message:
				result === 'in_progress'
					? 'The person has not finished this session yet'
					: 'This session is not finished yet',
			hint: `Its files are there once the session is complete${state}. Get them once Session → Get Result says approved or rejected, for example after the person has reached your Return URL.`,
		},
		{ reason: 'unfinished' },
	);
}

export function unreadableAnswerError(place: ErrorPlace, what: string, hint?: string) {
	return apiError(
		place,
		{
			message: `Identomat's answer could not be read: ${what}`,
			hint:
				hint ??
				'Run it again. If it keeps happening, contact Identomat support: the answer was not in the documented format.',
		},
		{ reason: 'unreadable' },
	);
}

export function badSignatureError(place: ErrorPlace, missing: boolean) {
	return apiError(
		place,
		{
			message: missing
				? "Identomat's answer carried no signature although an HMAC secret is set"
				: "Identomat's answer failed the signature check",
			hint: 'The answer was discarded because it may have been altered on the way. Check that the HMAC Secret Key matches this company key, and that no proxy rewrites answers.',
		},
		{ reason: 'signature' },
	);
}

/** An answer past one of the node's limits (README, "Limits"): refused, nothing of it kept. */
export function overLimitError(place: ErrorPlace, what: string, hint: string) {
	return apiError(
		place,
		{ message: `Identomat's answer is over the node's limit: ${what}`, hint },
		{ reason: 'limit' },
	);
}
