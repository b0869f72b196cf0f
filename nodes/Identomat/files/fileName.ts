/**
 * The one function that makes a file name, for every file the nodes write or upload (archive
 * entries, data URIs, image links, the Session ID part of output names). Names come from outside
 * (an archive, a link, a parameter a model fills in), so: letters, digits, `.`, `_` and `-` only,
 * no path, no leading dot, at most MAX_FILE_NAME_BYTES bytes of UTF-8, extension included.
 */

export const MAX_FILE_NAME_BYTES = 200;

/** Cuts `text` to at most `bytes` bytes of UTF-8, never inside a character. */
function cutToBytes(text: string, bytes: number): string {
	let out = '';
	let used = 0;
	for (const char of text) {
		used += Buffer.byteLength(char, 'utf8');
		if (used > bytes) break;
		out += char;
	}
	return out;
}

/**
 * `stem` made safe, with `.extension` (both from anywhere): every run of other characters (path
 * separators, spaces, control characters, `%`) becomes one `-`; `fallback` when nothing is left.
 */
export function safeFileName(stem: string, extension: string, fallback = 'file'): string {
	const clean = (text: string) =>
		text
			.normalize('NFC')
			.replace(/[^\p{L}\p{N}._-]+/gu, '-')
			.replace(/\.{2,}/g, '.')
			.replace(/^[-.]+|[-.]+$/g, '');
	const suffix = clean(extension) ? `.${cutToBytes(clean(extension), 16)}` : '';
	const base = clean(cutToBytes(clean(stem), MAX_FILE_NAME_BYTES - Buffer.byteLength(suffix)));
	return `${base || fallback}${suffix}`;
}
