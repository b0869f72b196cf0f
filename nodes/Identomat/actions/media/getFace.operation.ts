import { widgetFileOperation } from '../shared/widgetFile';

export const { option, endpoint, properties, execute } = widgetFileOperation(
	{
		name: 'Get Face Image',
		value: 'getFace',
		action: 'Get the face image',
		description: 'Download the image of the face captured during the liveness check',
	},
	'faceImage',
	{ name: 'face', content: 'face image from the liveness check' },
);
