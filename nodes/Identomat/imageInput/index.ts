import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { itemLabel, type UploadFile } from '../../shared/transport';
import { checkedImage } from './checkedImage';
import { fetchInputImage, MAX_IMAGE_MB } from './imageUrl';

/**
 * The one place input images come from, for Document → Read … and Face → Compare: a binary field
 * of the item (an upload, a form, a download; read through n8n's binary data service, so every
 * binary data mode works), or a link the n8n server fetches (imageUrl.ts: a CRM's file URL, a link
 * an agent holds). Either way only a JPEG or PNG photo goes to Identomat.
 */

export const imageSourceField: INodeProperties = {
	displayName: 'Image Source',
	name: 'imageSource',
	type: 'options',
	options: [
		{
			name: 'Binary Field',
			value: 'binaryField',
			description:
				'A file on the input item, e.g. from a form, a webhook upload or an HTTP Request',
		},
		{
			name: 'Image URL',
			value: 'url',
			description: 'A link to the image, fetched by the n8n server',
		},
	],
	default: 'binaryField',
};

/** A binary-field parameter, shown when the image comes from a binary field. */
export function fromBinaryField(field: INodeProperties): INodeProperties {
	return { ...field, displayOptions: { show: { imageSource: ['binaryField'] } } };
}

/** A URL parameter, shown when the image comes from a link. */
export function imageUrlField(displayName: string, name: string, what: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://crm.example.com/files/passport.jpg',
		description: `Link (http or https) to ${what}, a JPEG or PNG of at most ${MAX_IMAGE_MB} MB. The n8n server fetches it, so it must be reachable from there without signing in; links into the server's own network (localhost, private addresses) are refused unless Allow Internal Addresses is on.`,
		displayOptions: { show: { imageSource: ['url'] } },
	};
}

/** The opt-in for links into the n8n server's own network, shown when images come from links. */
export const allowInternalAddressesField: INodeProperties = {
	displayName: 'Allow Internal Addresses',
	name: 'allowInternalAddresses',
	type: 'boolean',
	default: false,
	description:
		'Whether the n8n server may fetch image links that point into its own network (localhost, private, link-local and cloud metadata addresses). Off by default: whoever sets the link (an upstream item, or a model when the node is a tool) could otherwise read internal services through it. Turn on only for a trusted internal image server.',
	displayOptions: { show: { imageSource: ['url'] } },
};

/** The image of one upload field, from the source the item's Image Source parameter names. */
export async function inputImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	spec: {
		binaryParameter: string;
		urlParameter: string;
		urlDisplayName: string;
		uploadField: string;
	},
): Promise<UploadFile> {
	const source = ctx.getNodeParameter('imageSource', itemIndex, 'binaryField') as string;
	if (source === 'url') {
		return await fetchInputImage(
			ctx,
			itemIndex,
			spec.urlParameter,
			spec.urlDisplayName,
			spec.uploadField,
		);
	}
	return await readInputImage(ctx, itemIndex, spec.binaryParameter, spec.uploadField);
}

/** An image from the item's binary field, checked to be a JPEG or PNG before it is sent. */
async function readInputImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameterName: string,
	uploadField: string,
): Promise<UploadFile> {
	const node = ctx.getNode();
	const propertyName = String(ctx.getNodeParameter(parameterName, itemIndex)).trim();
	const item = ctx.getInputData()[itemIndex];
	const available = Object.keys(item?.binary ?? {});
	if (!propertyName || !available.includes(propertyName)) {
		throw new NodeOperationError(
			node,
			`No file in the binary field "${propertyName}" of ${itemLabel(itemIndex)}`,
			{
				itemIndex,
				description: available.length
					? `The parameter names "${propertyName}", but this item's files are in: ${available.map((k) => `"${k}"`).join(', ')}. Enter one of those names.`
					: 'This item carries no file. Put a node that loads the image before this one (for example a form upload, Read/Write Files from Disk, or an HTTP Request that downloads it), or choose Image Source: Image URL.',
			},
		);
	}
	const metadata = ctx.helpers.assertBinaryData(itemIndex, propertyName);
	const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	return checkedImage(ctx, itemIndex, data, {
		subject: `The file in the binary field "${propertyName}" of ${itemLabel(itemIndex)}`,
		uploadField,
		fileName: metadata.fileName,
		emptyHint: 'Check the node that produced the file: it wrote no bytes.',
		convertHint:
			'Identomat reads JPEG (or PNG) photos. Convert the file first, for example with the Edit Image node (option Format: jpeg), or pick the field that holds the photo.',
	});
}
