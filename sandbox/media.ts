/**
 * Real files: the committed fixtures, data URIs, a hand-built PDF, padded WebM videos and ustar
 * archives. Big bodies are `Source`s generated chunk by chunk, never held whole in memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Source } from './types.ts';

const FIXTURES_DIR = path.join(import.meta.dirname, 'fixtures');
/** every committed fixture by file name */
const fixtures: Record<string, Buffer> = {};
for (const name of fs.readdirSync(FIXTURES_DIR)) {
	if (/\.(jpg|png|webm)$/.test(name)) fixtures[name] = fs.readFileSync(path.join(FIXTURES_DIR, name));
}

function sniff(buf: Buffer): 'jpeg' | 'png' | 'pdf' | 'webm' | 'tar' | null {
	if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
	if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
	if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
	if (buf.length >= 4 && buf.readUInt32BE(0) === 0x1a45dfa3) return 'webm';
	if (buf.length >= 262 && buf.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
	return null;
}

function isImage(buf: Buffer) {
	const kind = sniff(buf);
	return kind === 'jpeg' || kind === 'png';
}

/**
 * A data URI as Identomat writes them (the declared type is often wrong: docs/identomat-api.md, erratum 7).
 * `corrupt`: 'badBase64' puts characters outside the base64 alphabet in the payload,
 * 'noComma' drops the comma between header and payload.
 */
function dataUri(declaredType: string, bytes: Buffer, corrupt?: 'badBase64' | 'noComma') {
	const b64 = bytes.toString('base64');
	if (corrupt === 'noComma') return `data:${declaredType};base64${b64}`;
	if (corrupt === 'badBase64') return `data:${declaredType};base64,${b64.slice(0, 16)}!!*%${b64.slice(16, 40)}`;
	return `data:${declaredType};base64,${b64}`;
}

/**
 * A valid one-page PDF (Helvetica text), built by hand with a correct xref table.
 */
function makePdf(title: string, lines: string[]) {
	const esc = (s: string) => s.replace(/[^\x20-\x7e]/g, '?').replace(/([\\()])/g, '\\$1');
	const text = [
		'BT',
		'/F1 18 Tf',
		'56 760 Td',
		`(${esc(title)}) Tj`,
		'/F1 11 Tf',
		'0 -28 Td',
		...lines.flatMap((l) => [`(${esc(l)}) Tj`, '0 -16 Td']),
		'ET',
	].join('\n');
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
		`<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
		`<< /Title (${esc(title)}) /Producer (Identomat sandbox) >>`,
	];
	let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
	const offsets: number[] = [];
	objects.forEach((body, i) => {
		offsets.push(Buffer.byteLength(out, 'latin1'));
		out += `${i + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xref = Buffer.byteLength(out, 'latin1');
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

function bufferSource(buf: Buffer): Source {
	return {
		length: buf.length,
		async *open() {
			yield buf;
		},
	};
}

const ZEROS = Buffer.alloc(64 * 1024);

/**  @returns n zero bytes, in chunks */
function* zeros(n: number): Generator<Buffer> {
	while (n > 0) {
		const k = Math.min(n, ZEROS.length);
		yield k === ZEROS.length ? ZEROS : ZEROS.subarray(0, k);
		n -= k;
	}
}

/**
 * The header of an EBML Void element (ID 0xEC) whose total size, header included, is `total`
 * (>= 2), and the number of zero bytes that follow it.
 */
function voidElement(total: number): { header: Buffer; payload: number; } {
	if (total >= 9) {
		const header = Buffer.alloc(9);
		header[0] = 0xec;
		header[1] = 0x01; // 8-byte size VINT: 0x01 then 7 bytes
		let n = total - 9;
		for (let i = 8; i >= 2; i--) {
			header[i] = n % 256;
			n = Math.floor(n / 256);
		}
		return { header, payload: total - 9 };
	}
	const len = total - 1; // a size VINT of `len` bytes that encodes 0
	const header = Buffer.alloc(total);
	header[0] = 0xec;
	header[1] = 1 << (8 - len);
	return { header, payload: 0 };
}

/**
 * The 1-second WebM fixture followed by an EBML Void element padding it to `bytes` (a valid
 * WebM file of any size). Sizes below the fixture's are raised to it.
 */
function videoSource(bytes: number): Source {
	const base = fixtures['liveness.webm'];
	let length = Math.max(Math.floor(bytes) || 0, base.length);
	if (length === base.length + 1) length++; // a Void element needs two bytes at least
	const pad = length - base.length;
	return {
		length,
		cacheKey: `video:${length}`,
		async *open() {
			yield base;
			if (pad > 0) {
				const v = voidElement(pad);
				yield v.header;
				yield* zeros(v.payload);
			}
		},
	};
}

function octal(n: number, width: number) {
	return n.toString(8).padStart(width - 1, '0') + '\0';
}

/**
 * A 512-byte ustar header.
 */
function tarHeader(name: string, size: number, mtime: Date, badChecksum?: boolean) {
	const h = Buffer.alloc(512);
	h.write(name, 0, 100, 'utf8');
	h.write(octal(0o644, 8), 100, 'latin1');
	h.write(octal(0, 8), 108, 'latin1');
	h.write(octal(0, 8), 116, 'latin1');
	h.write(octal(size, 12), 124, 'latin1');
	h.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'latin1');
	h.write('        ', 148, 'latin1'); // checksum counts as spaces
	h.write('0', 156, 'latin1');
	h.write('ustar\x0000', 257, 'latin1');
	h.write('identomat', 265, 'latin1');
	h.write('identomat', 297, 'latin1');
	let sum = 0;
	for (const b of h) sum += b;
	if (badChecksum) sum += 7;
	h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
	return h;
}

/**
 * A ustar archive of `entries`, streamed. `malformed`: 'short' stops in the middle of the last
 * member (no end blocks; the HTTP length matches what is sent), 'checksum' breaks the first
 * header's checksum.
 */
function tarSource(entries: Array<{ name: string; source: Source; }>, opts: { mtime?: Date; malformed?: 'short' | 'checksum'; } = {}): Source {
	const mtime = opts.mtime ?? new Date('2025-01-15T10:00:00Z');
	const blocks = (n: number) => Math.ceil(n / 512) * 512;
	let full = 1024;
	for (const e of entries) full += 512 + blocks(e.source.length);
	const lastStart = full - 1024 - (entries.length ? 512 + blocks(entries[entries.length - 1].source.length) : 0);
	const length =
		opts.malformed === 'short' && entries.length
			? lastStart + 512 + Math.floor(entries[entries.length - 1].source.length / 2)
			: full;
	const keyParts = entries.map((e) => `${e.name}=${e.source.cacheKey ?? e.source.length}`).join(',');
	return {
		length,
		cacheKey: `tar:${keyParts}:${opts.malformed ?? ''}:${mtime.getTime()}`,
		async *open() {
			let sent = 0;
			const clip = (chunk: Buffer): Buffer | null => {
				if (sent >= length) return null;
				const c = sent + chunk.length > length ? chunk.subarray(0, length - sent) : chunk;
				sent += c.length;
				return c;
			};
			let first = true;
			for (const e of entries) {
				let c = clip(tarHeader(e.name, e.source.length, mtime, first && opts.malformed === 'checksum'));
				first = false;
				if (!c) return;
				yield c;
				for await (const chunk of e.source.open()) {
					c = clip(chunk);
					if (!c) return;
					yield c;
				}
				const rest = blocks(e.source.length) - e.source.length;
				if (rest) {
					c = clip(ZEROS.subarray(0, rest));
					if (!c) return;
					yield c;
				}
			}
			for (const z of zeros(1024)) {
				const c = clip(z);
				if (!c) return;
				yield c;
			}
		},
	};
}

export { FIXTURES_DIR, fixtures, sniff, isImage, dataUri, makePdf, bufferSource, videoSource, tarSource, voidElement };
