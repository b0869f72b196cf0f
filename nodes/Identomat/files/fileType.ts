/**
 * The real type of a file, from its first bytes. Identomat's declared types are not to be trusted
 * (docs/identomat-api.md, erratum 7: a JPEG arrives as `text/plain`, images as `application/x-tar`).
 */
export interface FileType {
	mimeType: string;
	extension: string;
	/** What a person calls it, with its article: "a WebM video", "an MP4 video". */
	label: string;
}

const startsWith = (head: Buffer, bytes: number[], offset = 0) =>
	head.length >= offset + bytes.length && bytes.every((b, i) => head[offset + i] === b);

const ascii = (head: Buffer, text: string, offset = 0) =>
	head.length >= offset + text.length &&
	head.toString('latin1', offset, offset + text.length) === text;

export function sniffFileType(head: Buffer): FileType | undefined {
	if (startsWith(head, [0xff, 0xd8, 0xff]))
		return { mimeType: 'image/jpeg', extension: 'jpg', label: 'a JPEG image' };
	if (startsWith(head, [0x89, 0x50, 0x4e, 0x47]))
		return { mimeType: 'image/png', extension: 'png', label: 'a PNG image' };
	if (ascii(head, 'GIF8')) return { mimeType: 'image/gif', extension: 'gif', label: 'a GIF image' };
	if (ascii(head, 'RIFF') && ascii(head, 'WEBP', 8))
		return { mimeType: 'image/webp', extension: 'webp', label: 'a WebP image' };
	if (ascii(head, '%PDF'))
		return { mimeType: 'application/pdf', extension: 'pdf', label: 'a PDF document' };
	if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) {
		const isWebm = head.subarray(0, 64).includes(Buffer.from('webm'));
		return isWebm
			? { mimeType: 'video/webm', extension: 'webm', label: 'a WebM video' }
			: { mimeType: 'video/x-matroska', extension: 'mkv', label: 'a Matroska (MKV) video' };
	}
	if (ascii(head, 'ftyp', 4)) {
		const brand = head.toString('latin1', 8, 12);
		if (brand.startsWith('heic') || brand.startsWith('heix') || brand.startsWith('mif1')) {
			return { mimeType: 'image/heic', extension: 'heic', label: 'a HEIC photo' };
		}
		if (brand.startsWith('qt'))
			return { mimeType: 'video/quicktime', extension: 'mov', label: 'a QuickTime (MOV) video' };
		return { mimeType: 'video/mp4', extension: 'mp4', label: 'an MP4 video' };
	}
	if (ascii(head, 'ustar', 257))
		return { mimeType: 'application/x-tar', extension: 'tar', label: 'a tar archive' };
	if (startsWith(head, [0x1f, 0x8b]))
		return { mimeType: 'application/gzip', extension: 'gz', label: 'a gzip archive' };
	return undefined;
}

const OCTET_STREAM: FileType = {
	mimeType: 'application/octet-stream',
	extension: 'bin',
	label: 'a file of unknown type',
};

/**
 * Declared types kept for bytes that match no signature above, with their extension: only types a
 * mail client, browser or file server treats as inert. Anything else (HTML, SVG, executables,
 * scripts) could be served or mailed on as active content, so it becomes octet-stream.
 */
const HARMLESS_DECLARED_TYPES = new Map<string, string>(
	Object.entries({
		'application/pdf': 'pdf',
		'image/jpeg': 'jpg',
		'image/png': 'png',
		'image/gif': 'gif',
		'image/webp': 'webp',
		'image/heic': 'heic',
		'image/heif': 'heif',
		'image/bmp': 'bmp',
		'image/tiff': 'tiff',
		'video/mp4': 'mp4',
		'video/webm': 'webm',
		'video/quicktime': 'mov',
		'video/x-matroska': 'mkv',
		'text/plain': 'txt',
	}),
);

/** The sniffed type, else a declared type on the harmless list, else octet-stream. */
export function fileTypeOf(head: Buffer, declared?: string): FileType {
	const sniffed = sniffFileType(head);
	if (sniffed) return sniffed;
	const mimeType = declared?.split(';')[0].trim().toLowerCase() ?? '';
	const extension = HARMLESS_DECLARED_TYPES.get(mimeType);
	return extension ? { mimeType, extension, label: `a file of type ${mimeType}` } : OCTET_STREAM;
}
