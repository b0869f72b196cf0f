import { widgetFileOperation } from '../shared/widgetFile';

export const { option, properties, execute } = widgetFileOperation(
	{
		name: 'Get Face Image',
		value: 'getFace',
		action: 'Get the face image',
		description: 'Download the image of the face captured during the liveness check',
	},
	{ path: 'result/face/', name: 'face', content: 'face image from the liveness check' },
);
