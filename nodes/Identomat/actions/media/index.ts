import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../common';
import * as getCardBack from './getCardBack.operation';
import * as getCardFront from './getCardFront.operation';
import * as getDocumentFacePhoto from './getDocumentFacePhoto.operation';
import * as getFace from './getFace.operation';
import * as getFaceDocument from './getFaceDocument.operation';
import * as getFaceVideo from './getFaceVideo.operation';
import * as getGeneralDocument from './getGeneralDocument.operation';
import * as getPassport from './getPassport.operation';
import * as getQuestionFile from './getQuestionFile.operation';
import * as getVisualMarkers from './getVisualMarkers.operation';

export const operations: Record<string, OperationModule> = {
	getCardFront,
	getCardBack,
	getPassport,
	getFace,
	getFaceVideo,
	getFaceDocument,
	getGeneralDocument,
	getDocumentFacePhoto,
	getVisualMarkers,
	getQuestionFile,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['media'] } },
		options: [
			{
				name: 'Get Document Back',
				value: 'getCardBack',
				action: 'Get the back of the identity document',
				description: 'Download the photo of the back side of the ID card the person scanned',
			},
			{
				name: 'Get Document Face Photo',
				value: 'getDocumentFacePhoto',
				action: 'Get the face photo from the document',
				description: 'Download the portrait cut out of the main identity document',
			},
			{
				name: 'Get Document Front',
				value: 'getCardFront',
				action: 'Get the front of the identity document',
				description: 'Download the photo of the front side of the ID card the person scanned',
			},
			{
				name: 'Get Face Image',
				value: 'getFace',
				action: 'Get the face image',
				description: 'Download the image of the face captured during the liveness check',
			},
			{
				name: 'Get Liveness Video',
				value: 'getFaceVideo',
				action: 'Get the liveness video',
				description: 'Download the video recorded during the liveness check (streamed, suitable for large files)',
			},
			{
				name: 'Get Passport Page',
				value: 'getPassport',
				action: 'Get the passport photo page',
				description: 'Download the image of the passport photo page the person scanned',
			},
			{
				name: 'Get Proof of Address',
				value: 'getGeneralDocument',
				action: 'Get a proof of address document',
				description: 'Download a proof of address or other general document (image or PDF)',
			},
			{
				name: 'Get Questionnaire File',
				value: 'getQuestionFile',
				action: 'Get a questionnaire file',
				description: 'Download the files the person attached to a questionnaire answer',
			},
			{
				name: 'Get Selfie With Document',
				value: 'getFaceDocument',
				action: 'Get the selfie with the document',
				description: 'Download the image of the person holding their ID document next to their face',
			},
			{
				name: 'Get Visual Markers',
				value: 'getVisualMarkers',
				action: 'Get the visual markers of the document',
				description: "Download the images of the document's visual security features",
			},
		],
		default: 'getCardFront',
	},
	...getCardFront.description,
	...getCardBack.description,
	...getPassport.description,
	...getFace.description,
	...getFaceVideo.description,
	...getFaceDocument.description,
	...getGeneralDocument.description,
	...getDocumentFacePhoto.description,
	...getVisualMarkers.description,
	...getQuestionFile.description,
];
