import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { UploadFile } from '../../shared/transport';
import { safeFileName } from '../files/fileName';
import { sniffFileType } from '../files/fileType';

const ACCEPTED_IMAGES = ['image/jpeg', 'image/png'];

/** Whether bytes look like a web page (a link to a page showing the image, not the image). */
function looksLikeHtml(data: Buffer): boolean {
	return /^\s*</.test(data.subarray(0, 64).toString('latin1'));
}

/**
 * Checks that `data` is a JPEG or PNG photo and returns it as the upload `uploadField`. `subject`
 * says where it came from in the messages, e.g. `The file in the binary field "data" of item 1`;
 * `convertHint` is how to fix a file of another type.
 */
export function checkedImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	data: Buffer,
	spec: {
		subject: string;
		uploadField: string;
		/** The name it came with (a link's last segment, an input file's name), made safe here. */
		fileName?: string;
		emptyHint: string;
		convertHint: string;
	},
): UploadFile {
	const node = ctx.getNode();
	if (data.length === 0) {
		throw new NodeOperationError(node, `${spec.subject} is empty`, {
			itemIndex,
			description: spec.emptyHint,
		});
	}
	// The whole head: a WebM video is told from other Matroska files by a word past byte 16.
	const type = sniffFileType(data.subarray(0, 512));
	if (!type || !ACCEPTED_IMAGES.includes(type.mimeType)) {
		const found = type
			? `${type.label}, not a JPEG or PNG image`
			: looksLikeHtml(data)
				? 'a web page (HTML), not a JPEG or PNG image'
				: 'neither a JPEG nor a PNG image';
		throw new NodeOperationError(node, `${spec.subject} is ${found}`, {
			itemIndex,
			description: spec.convertHint,
		});
	}
	// The extension follows the bytes, whatever the name said.
	const extension = type.mimeType === 'image/png' ? 'png' : 'jpg';
	const stem = (spec.fileName ?? '').replace(/\.[^./\\]*$/, '');
	const fileName = safeFileName(stem, extension, spec.uploadField);
	return { field: spec.uploadField, data, fileName, mimeType: type.mimeType };
}
