/** Data URIs as Identomat sends them: `data:<declared type>;base64,<bytes>`, often nested in arrays. */

const DATA_URI = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * The bytes of one data URI; undefined when it is not a well-formed base64 data URI. The declared
 * type is dropped: it is not to be trusted (docs/identomat-api.md, "Files").
 */
export function decodeDataUri(uri: string): Buffer | undefined {
	const match = DATA_URI.exec(uri.trim());
	if (!match || !match[2].split(';').includes('base64')) return undefined;
	const payload = match[3].replace(/\s+/g, '');
	if (!payload || !BASE64.test(payload) || payload.length % 4 === 1) return undefined;
	return Buffer.from(payload, 'base64');
}

/** Every string of an arbitrarily nested array, in order (`[[a, b], [c]]` → `[a, b, c]`). */
export function flattenStrings(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.flatMap(flattenStrings);
	return [];
}
