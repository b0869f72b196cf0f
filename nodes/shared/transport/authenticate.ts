import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
} from 'n8n-workflow';
import { ApplicationError } from 'n8n-workflow';

import {
	baseUrlOf,
	DEFAULT_API_BASE_URL,
	DEFAULT_WIDGET_BASE_URL,
	DIALECTS,
	hostOfUrl,
} from './dialect';
import { signBody, signParts, signatureHeaderValue } from './signing';

/**
 * The credential's `authenticate`: puts the company key where the addressed host expects it and,
 * when an HMAC secret is set, signs the exact bytes that will be sent. It lives in the credential so
 * that any node using it (n8n's HTTP Request node too) talks to Identomat correctly.
 *
 * Handled bodies: plain objects (JSON), JSON or url-encoded strings, URLSearchParams, the global
 * FormData, and the legacy `form` / `formData` objects that n8n's older request helper still passes.
 */

type LegacyFormValue = string | number | boolean | { value: unknown; options?: IDataObject };
type RequestWithLegacyBodies = IHttpRequestOptions & {
	form?: IDataObject | string;
	formData?: Record<string, LegacyFormValue>;
	uri?: string;
};

function fullUrl(request: RequestWithLegacyBodies): string {
	const url = request.url ?? request.uri ?? '';
	if (/^https?:\/\//i.test(url) || !request.baseURL) return url;
	return `${request.baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

function setHeader(request: IHttpRequestOptions, name: string, value: string) {
	const headers = (request.headers ?? {}) as IDataObject;
	for (const existing of Object.keys(headers)) {
		if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
	}
	headers[name] = value;
	request.headers = headers;
}

function isPlainObject(value: unknown): value is IDataObject {
	return (
		typeof value === 'object' &&
		value !== null &&
		!Array.isArray(value) &&
		!Buffer.isBuffer(value) &&
		!(value instanceof URLSearchParams) &&
		!(value instanceof FormData)
	);
}

function parseJsonObject(text: string): IDataObject | undefined {
	try {
		const parsed: unknown = JSON.parse(text);
		return isPlainObject(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

/** Rebuilds a FormData with the key first and text fields before files, as the signature chain wants. */
async function keyedFormData(form: FormData, keyField: string, key: string) {
	const texts: Array<[string, string]> = [[keyField, key]];
	const files: Array<[string, Blob, string | undefined]> = [];
	form.forEach((value, name) => {
		if (name === keyField) return;
		if (typeof value === 'string') texts.push([name, value]);
		else files.push([name, value, (value as File).name]);
	});
	const rebuilt = new FormData();
	for (const [name, value] of texts) rebuilt.append(name, value);
	for (const [name, blob, fileName] of files) rebuilt.append(name, blob, fileName);
	const parts: Buffer[] = texts.map(([, value]) => Buffer.from(value));
	for (const [, blob] of files) parts.push(Buffer.from(await blob.arrayBuffer()));
	return { form: rebuilt, parts };
}

function legacyFormDataParts(formData: Record<string, LegacyFormValue>) {
	const isFile = (value: LegacyFormValue) => typeof value === 'object' && value !== null;
	const entries = Object.entries(formData);
	const ordered = [
		...entries.filter(([, v]) => !isFile(v)),
		...entries.filter(([, v]) => isFile(v)),
	];
	const parts = ordered.map(([, value]) => {
		const raw = isFile(value) ? (value as { value: unknown }).value : value;
		return Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw));
	});
	return { ordered: Object.fromEntries(ordered), parts };
}

/** The parts of the `form-data` package's FormData that n8n-core's legacy helper builds. */
interface LegacyFormDataInstance {
	append(name: string, value: string): void;
	_streams: unknown[];
}

function isLegacyFormData(value: unknown): value is LegacyFormDataInstance {
	return (
		typeof value === 'object' &&
		value !== null &&
		Array.isArray((value as LegacyFormDataInstance)._streams)
	);
}

/** Its part values in signing order (text, then files), read from its queued header/value pairs. */
function legacyFormDataInstanceParts(form: LegacyFormDataInstance): Buffer[] {
	const texts: Buffer[] = [];
	const files: Buffer[] = [];
	for (let i = 0; i < form._streams.length; i++) {
		const header = form._streams[i];
		if (typeof header !== 'string' || !header.includes('Content-Disposition')) continue;
		const value = form._streams[i + 1];
		if (!Buffer.isBuffer(value) && typeof value !== 'string') {
			throw new ApplicationError(
				'This multipart body streams a file, which cannot be signed with the HMAC secret. Use the Identomat node, or a credential without an HMAC secret.',
				{ level: 'warning' },
			);
		}
		(header.includes('filename=') ? files : texts).push(Buffer.from(value));
	}
	return [...texts, ...files];
}

/** This machine: where plain http:// stays off the network (the sandbox, a local proxy). */
function isLoopback(hostname: string): boolean {
	return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** The base URL's origin when it is plain http:// to another machine, where the key could be read on the way. */
function unencryptedOrigin(base: string): string | undefined {
	try {
		const url = new URL(base);
		return url.protocol === 'http:' && !isLoopback(url.hostname) ? url.origin : undefined;
	} catch {
		return undefined;
	}
}

/** Both base URLs are https:// (plain http:// only to this machine): the key travels in the body. */
function assertEncryptedBaseUrls(credentials: ICredentialDataDecryptedObject) {
	for (const host of ['widget', 'api'] as const) {
		const origin = unencryptedOrigin(baseUrlOf(credentials, host));
		if (!origin) continue;
		const field = host === 'widget' ? 'Widget API Base URL' : 'API Base URL';
		const example = host === 'widget' ? DEFAULT_WIDGET_BASE_URL : DEFAULT_API_BASE_URL;
		throw new ApplicationError(
			`The "${field}" of this Identomat credential is ${origin}, plain http://, where anyone on the way could read the company key. Change it to https://, e.g. ${example}. Plain http:// is accepted only for this machine (localhost, 127.0.0.1), such as the sandbox.`,
			{ level: 'warning' },
		);
	}
}

export async function authenticateIdentomatRequest(
	credentials: ICredentialDataDecryptedObject,
	original: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const request = {
		...original,
		headers: { ...(original.headers ?? {}) },
	} as RequestWithLegacyBodies;
	assertEncryptedBaseUrls(credentials);
	const host = hostOfUrl(credentials, fullUrl(request));
	if (!host) {
		// Never hand the company key to an address that is not one of the credential's two hosts.
		throw new ApplicationError(
			'This Identomat credential only sends its company key to the widget and API base URLs set in the credential. Use one of those base URLs, or change them in the credential.',
			{ level: 'warning' },
		);
	}
	const keyField = DIALECTS[host].keyField;
	const key = String(credentials.apiKey ?? '');
	const secret = String(credentials.secretKey ?? '');
	// Computed only when a secret is set: an upload would otherwise be hashed for nothing.
	const sign = (signature: () => string) => {
		if (secret) setHeader(request, 'Authorization', signatureHeaderValue(signature()));
	};
	const { body } = request;

	if (isLegacyFormData(request.formData)) {
		// The `form-data` instance n8n's HTTP Request node builds for multipart bodies.
		request.formData.append(keyField, key);
		const formData = request.formData;
		sign(() => signParts(secret, legacyFormDataInstanceParts(formData)));
	} else if (body instanceof FormData) {
		const { form, parts } = await keyedFormData(body, keyField, key);
		request.body = form;
		sign(() => signParts(secret, parts));
	} else if (isPlainObject(request.formData)) {
		const { ordered, parts } = legacyFormDataParts({ [keyField]: key, ...request.formData });
		request.formData = ordered;
		sign(() => signParts(secret, parts));
	} else if (request.form !== undefined) {
		const form = new URLSearchParams(
			typeof request.form === 'string' ? request.form : (request.form as Record<string, string>),
		);
		form.set(keyField, key);
		delete request.form;
		const text = form.toString();
		request.body = text;
		setHeader(request, 'Content-Type', 'application/x-www-form-urlencoded');
		sign(() => signBody(secret, text));
	} else if (
		body instanceof URLSearchParams ||
		(typeof body === 'string' && !parseJsonObject(body))
	) {
		const form = new URLSearchParams(body as URLSearchParams | string);
		form.set(keyField, key);
		const text = form.toString();
		request.body = text;
		setHeader(request, 'Content-Type', 'application/x-www-form-urlencoded');
		sign(() => signBody(secret, text));
	} else if (
		isPlainObject(body) ||
		typeof body === 'string' ||
		(body === undefined && request.method !== 'GET')
	) {
		const fields =
			typeof body === 'string' ? parseJsonObject(body) : (body as IDataObject | undefined);
		const json = JSON.stringify({ ...(fields ?? {}), [keyField]: key });
		// Serialised here, so the signature covers exactly the bytes on the wire.
		request.body = json;
		setHeader(request, 'Content-Type', 'application/json');
		sign(() => signBody(secret, json));
	} else {
		// A GET with a query string: the widget host reads parameters from it too.
		const query = new URLSearchParams((request.qs ?? {}) as Record<string, string>);
		query.set(keyField, key);
		delete request.qs;
		const url = fullUrl(request);
		request.url = `${url}${url.includes('?') ? '&' : '?'}${query.toString()}`;
		delete request.baseURL;
		if ('uri' in request) delete request.uri;
		sign(() => signBody(secret, query.toString()));
	}
	return request;
}
