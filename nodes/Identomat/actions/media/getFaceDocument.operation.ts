import { widgetFileOperation } from '../shared/widgetFile';

export const { option, endpoint, properties, execute } = widgetFileOperation(
	{
		name: 'Get Selfie With Document',
		value: 'getFaceDocument',
		action: 'Get the selfie with the document',
		description: 'Download the image of the person holding their ID document next to their face',
	},
	'faceWithDocument',
	{
		name: 'selfie-with-document',
		content: 'selfie of the person holding the identity document',
	},
);
