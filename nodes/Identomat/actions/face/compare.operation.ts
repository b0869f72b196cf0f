import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { callEndpoint, resultOf } from '../../../shared/api/call';
import { inputBinaryField } from '../shared/fields';
import {
	allowInternalAddressesField,
	fromBinaryField,
	imageSourceField,
	imageUrlField,
	inputImage,
} from '../../imageInput';
import { optionalNumber } from '../shared/parameters';
import type { OperationOption } from '../shared/types';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Compare',
	value: 'compare',
	action: 'Compare the faces in two photos',
	description: 'Get a similarity score telling whether two face photos show the same person',
};

export const endpoint = 'compareFaces' satisfies EndpointName;

export const properties: INodeProperties[] = [
	imageSourceField,
	fromBinaryField(
		inputBinaryField(
			'First Face Binary Field',
			'binaryPropertyName',
			'The binary field holding the first face photo (JPEG or PNG)',
		),
	),
	fromBinaryField({
		...inputBinaryField(
			'Second Face Binary Field',
			'secondBinaryPropertyName',
			'The binary field holding the second face photo (JPEG or PNG), e.g. a selfie to compare with the document photo',
		),
		default: 'data_1',
	}),
	imageUrlField('First Face Image URL', 'imageUrl', 'the first face photo'),
	imageUrlField(
		'Second Face Image URL',
		'secondImageUrl',
		'the second face photo, e.g. a selfie to compare with the document photo',
	),
	allowInternalAddressesField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Match Threshold',
				name: 'matchThreshold',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
				default: 0.8,
				description:
					'Similarity (0 to 1) from which the two faces count as the same person. Adds a "match" field: true, false, or null when Identomat could not compare the faces.',
			},
		],
	},
];

interface Comparison {
	similarity?: number | null;
	face1Statuses?: string[];
	face2Statuses?: string[];
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const threshold = optionalNumber(this, itemIndex, 'options.matchThreshold', 'Match Threshold', {
		min: 0,
		max: 1,
		expected: 'between 0 and 1',
		hint: "Identomat's similarity is a fraction, not a percentage: enter e.g. 0.8 for 80%.",
	});
	const face1 = await inputImage(this, itemIndex, {
		binaryParameter: 'binaryPropertyName',
		urlParameter: 'imageUrl',
		urlDisplayName: 'First Face Image URL',
		uploadField: 'face1',
	});
	const face2 = await inputImage(this, itemIndex, {
		binaryParameter: 'secondBinaryPropertyName',
		urlParameter: 'secondImageUrl',
		urlDisplayName: 'Second Face Image URL',
		uploadField: 'face2',
	});
	const answer = await callEndpoint(this, endpoint, {
		files: [face1, face2],
		itemIndex,
	});
	const result = (resultOf<Comparison>(answer) ?? {}) as Comparison;
	const similarity = typeof result.similarity === 'number' ? result.similarity : null;
	const json: IDataObject = {
		similarity,
		face1Statuses: result.face1Statuses ?? [],
		face2Statuses: result.face2Statuses ?? [],
	};
	// Null when Identomat gave no score (e.g. FACE_FAR_AWAY): "not compared" is not "no match".
	if (threshold !== undefined) json.match = similarity === null ? null : similarity >= threshold;
	return [{ json }];
}
