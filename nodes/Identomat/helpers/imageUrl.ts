import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ReadableBody, UploadFile } from '../transport';
import { networkFailureOf } from '../transport/request';
import { checkedImage } from './binary';

/**
 * An input image given as a link (a CRM's file URL, a link an agent holds), fetched by the n8n
 * server through n8n's own HTTP helper (its proxy, SSL and SSRF settings apply), at most
 * MAX_IMAGE_MB, and checked from its bytes like an image from a binary field. Messages name the
 * parameter, the item and the link's host, never the whole link (it may carry an access token).
 */

export const MAX_IMAGE_MB = 10;
const MAX_IMAGE_BYTES = MAX_IMAGE_MB * 1024 * 1024;
const FETCH_TIMEOUT_MS = 30_000;

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

function unreachable(place: Place, error: unknown, host: string): NodeOperationError {
	const reasons: Record<string, string> = {
		refused: `nothing answered at ${host}`,
		dns: `the host name ${host} is unknown`,
		timeout: `${host} did not answer within ${FETCH_TIMEOUT_MS / 1000} seconds`,
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

/** The body of a live answer, refused as soon as it passes the cap. */
async function readCapped(place: Place, body: ReadableBody, host: string): Promise<Buffer> {
	const pieces: Buffer[] = [];
	let size = 0;
	try {
		for await (const piece of body as AsyncIterable<Buffer>) {
			size += piece.length;
			if (size > MAX_IMAGE_BYTES) break;
			pieces.push(piece);
		}
	} catch (error) {
		throw unreachable(place, error, host);
	}
	if (size > MAX_IMAGE_BYTES) {
		body.destroy();
		throw tooLarge(place);
	}
	return Buffer.concat(pieces);
}

/** The file name a link names (its last path segment), if any. */
function fileNameOf(url: URL): string | undefined {
	const last = decodeURIComponent(url.pathname.split('/').pop() ?? '');
	return /\.(jpe?g|png)$/i.test(last) ? last : undefined;
}

/** Fetches the image the URL parameter `parameterName` links to, as the upload `uploadField`. */
export async function fetchInputImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameterName: string,
	displayName: string,
	uploadField: string,
): Promise<UploadFile> {
	const place: Place = { ctx, itemIndex, where: `"${displayName}" of item ${itemIndex + 1}` };
	const text = String(ctx.getNodeParameter(parameterName, itemIndex, '') ?? '').trim();
	if (!text) {
		throw fail(
			place,
			`"${displayName}" is empty in item ${itemIndex + 1}`,
			'Enter the link to a JPEG or PNG photo, or map it from an earlier node with an expression.',
		);
	}
	const url = parseLink(place, text);
	let response: { statusCode: number; headers: Record<string, unknown>; body: ReadableBody };
	try {
		response = await ctx.helpers.httpRequest({
			method: 'GET',
			url: url.toString(),
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: FETCH_TIMEOUT_MS,
			headers: { accept: 'image/jpeg, image/png;q=0.9, */*;q=0.1' },
		});
	} catch (error) {
		throw unreachable(place, error, url.host);
	}
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
	const data = await readCapped(place, response.body, url.host);
	return checkedImage(ctx, itemIndex, data, {
		subject: `The file at ${place.where}`,
		uploadField,
		fileName: fileNameOf(url),
		emptyHint: `${url.host} sent no bytes: check that the link opens the image.`,
		convertHint:
			'Link the image itself (JPEG or PNG), not a page that shows it: share links of cloud drives often open a web page. Other image formats need converting first.',
	});
}
