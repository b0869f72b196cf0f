import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readInputImage } from '../../helpers/binary';
import { fetchInputImage, MAX_IMAGE_MB } from '../../helpers/imageUrl';
import type { UploadFile } from '../../transport';

/**
 * Where the images of Document → Read … and Face → Compare come from: a binary field of the item
 * (an upload, a form, a download), or a link the n8n server fetches (a CRM's file URL, a link an
 * agent holds).
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
