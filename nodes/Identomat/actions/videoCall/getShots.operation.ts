import { sessionDataUriFilesOperation } from '../shared/dataUriFiles';

/** Screenshots the operator took during the video call. */
export const { option, properties, execute } = sessionDataUriFilesOperation(
	{
		name: 'Get Shots',
		value: 'getShots',
		action: 'Get the shots of a video call',
		description: 'Download the screenshots the operator took during the call',
	},
	{
		path: 'get-video-call-shots',
		name: 'shot',
		label: 'shot',
		content: 'screenshot the operator took during the video call',
	},
);
