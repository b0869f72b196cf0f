import type { IBinaryData, IBinaryKeyData, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ReadableBody, UploadFile } from '../transport';
import { fileTypeOf, sniffFileType } from './fileType';

/**
 * Files in and out as real n8n binary data. Output files get their type from their bytes, an
 * extension and a name that says what they are; input files are read through n8n's binary data
 * service, so they work in every binary data mode (memory, filesystem, database).
 */

export async function toBinary(
	ctx: IExecuteFunctions,
	data: Buffer | ReadableBody,
	head: Buffer,
	baseName: string,
	declaredType?: string,
): Promise<IBinaryData> {
	const type = fileTypeOf(head, declaredType);
	// The stream type is Node's Readable; the transport only describes the part it uses.
	return await ctx.helpers.prepareBinaryData(data as Buffer, `${baseName}.${type.extension}`, type.mimeType);
}

/** `data`, `data_1`, `data_2` …: where the files of one item go. */
export function binaryKeys(propertyName: string, count: number): string[] {
	return Array.from({ length: count }, (_, i) => (i === 0 ? propertyName : `${propertyName}_${i}`));
}

export function asBinaryKeyData(propertyName: string, files: IBinaryData[]): IBinaryKeyData {
	const keys = binaryKeys(propertyName, files.length);
	return Object.fromEntries(files.map((file, i) => [keys[i], file]));
}

const ACCEPTED_IMAGES = ['image/jpeg', 'image/png'];

/** An image from the item's binary field, checked to be a JPEG or PNG before it is sent. */
export async function readInputImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameterName: string,
	uploadField: string,
): Promise<UploadFile> {
	const node = ctx.getNode();
	const propertyName = String(ctx.getNodeParameter(parameterName, itemIndex)).trim();
	const item = ctx.getInputData()[itemIndex];
	const available = Object.keys(item?.binary ?? {});
	const itemLabel = `item ${itemIndex + 1}`;
	if (!propertyName || !available.includes(propertyName)) {
		throw new NodeOperationError(node, `No file in the binary field "${propertyName}" of ${itemLabel}`, {
			itemIndex,
			description: available.length
				? `The parameter names "${propertyName}", but this item's files are in: ${available.map((k) => `"${k}"`).join(', ')}. Enter one of those names.`
				: 'This item carries no file. Put a node that loads the image before this one (for example a form upload, Read/Write Files from Disk, or an HTTP Request that downloads it).',
		});
	}
	const metadata = ctx.helpers.assertBinaryData(itemIndex, propertyName);
	const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	if (data.length === 0) {
		throw new NodeOperationError(node, `The file in the binary field "${propertyName}" of ${itemLabel} is empty`, {
			itemIndex,
			description: 'Check the node that produced the file: it wrote no bytes.',
		});
	}
	const type = sniffFileType(data.subarray(0, 16));
	if (!type || !ACCEPTED_IMAGES.includes(type.mimeType)) {
		const found = type ? `a ${type.extension.toUpperCase()} file, not a JPEG or PNG image` : 'neither a JPEG nor a PNG image';
		throw new NodeOperationError(
			node,
			`The file in the binary field "${propertyName}" of ${itemLabel} is ${found}`,
			{
				itemIndex,
				description:
					'Identomat reads JPEG (or PNG) photos. Convert the file first, for example with the Edit Image node (option Format: jpeg), or pick the field that holds the photo.',
			},
		);
	}
	const extension = type.mimeType === 'image/png' ? 'png' : 'jpg';
	const fileName = metadata.fileName ?? `${uploadField}.${extension}`;
	return { field: uploadField, data, fileName, mimeType: type.mimeType };
}
