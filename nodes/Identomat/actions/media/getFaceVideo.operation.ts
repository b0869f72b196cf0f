import { widgetFileOperation } from '../shared/widgetFile';

/** The liveness video can be large: it is streamed into n8n's binary storage, never held whole. */
export const { option, endpoint, properties, execute } = widgetFileOperation(
	{
		name: 'Get Liveness Video',
		value: 'getFaceVideo',
		action: 'Get the liveness video',
		description:
			'Download the video recorded during the liveness check (streamed, suitable for large files)',
	},
	'faceVideo',
	{
		name: 'liveness',
		content: 'video of the liveness check',
	},
);
