/**
 * A small multipart/form-data parser (RFC 7578) that keeps every part's exact bytes, so binary
 * files and HMAC chaining over the received values are both correct.
 */

/** One part: its name, and for a file its file name and type. */
export interface Part {
	name: string;
	filename?: string;
	contentType?: string;
	data: Buffer;
}

/** The boundary parameter of a Content-Type header, or null. */
function boundaryOf(contentType: string) {
	const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	return m ? m[1] || m[2] : null;
}

/**
 * Parameters of a Content-Disposition header (quoted strings with \" escapes, RFC 5987 filename*).
 */
function dispositionParams(value: string): Record<string, string> {
	const params: Record<string, string> = {};
	const re = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
	let m;
	while ((m = re.exec(value))) {
		const key = m[1].toLowerCase();
		let v = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3].trim();
		if (key.endsWith('*')) {
			const ext = /^([^']*)'[^']*'(.*)$/.exec(v);
			if (ext) {
				try {
					v = decodeURIComponent(ext[2]);
				} catch {
					v = ext[2];
				}
			}
			params[key.slice(0, -1)] = v;
		} else if (!(key in params)) {
			params[key] = v;
		}
	}
	return params;
}

/**
 * Splits a multipart body into parts, in body order. Throws on a malformed body.
 */
function parseMultipart(body: Buffer, contentType: string): Part[] {
	const boundary = boundaryOf(contentType);
	if (!boundary) throw new Error('multipart without boundary');
	const dash = Buffer.from(`--${boundary}`);
	const delimiter = Buffer.from(`\r\n--${boundary}`);
	let pos;
	if (body.subarray(0, dash.length).equals(dash)) pos = dash.length;
	else {
		const first = body.indexOf(delimiter);
		if (first < 0) throw new Error('multipart boundary not found');
		pos = first + delimiter.length;
	}
	const parts: Part[] = [];
	for (;;) {
		if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts; // closing "--"
		// transport padding, then CRLF
		while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
		if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) throw new Error('multipart: bad delimiter line');
		pos += 2;
		const headerEnd: number = body.indexOf('\r\n\r\n', pos, 'latin1');
		if (headerEnd < 0) throw new Error('multipart: unterminated part headers');
		const headerText = body.subarray(pos, headerEnd).toString('utf8');
		const dataStart: number = headerEnd + 4;
		const next: number = body.indexOf(delimiter, dataStart);
		if (next < 0) throw new Error('multipart: missing closing boundary');
		const headers: Record<string, string> = {};
		for (const line of headerText.split('\r\n')) {
			const i = line.indexOf(':');
			if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
		}
		const disposition = headers['content-disposition'];
		if (!disposition || !/^form-data\b/i.test(disposition)) throw new Error('multipart: part without form-data disposition');
		const params = dispositionParams(disposition);
		if (params.name === undefined) throw new Error('multipart: part without name');
		const part: Part = { name: params.name, data: body.subarray(dataStart, next) };
		if (params.filename !== undefined) {
			part.filename = params.filename;
			part.contentType = headers['content-type'] || 'application/octet-stream';
		}
		parts.push(part);
		pos = next + delimiter.length;
	}
}

export { parseMultipart, boundaryOf };
