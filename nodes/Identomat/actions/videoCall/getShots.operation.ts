import { sessionDataUriFilesOperation } from '../shared/dataUriFiles';

/** Screenshots the operator took during the video call. */
export const { option, endpoint, properties, execute } = sessionDataUriFilesOperation(
	{
		name: 'Get Shots',
		value: 'getShots',
		action: 'Get the shots of a video call',
		description: 'Download the screenshots the operator took during the call',
	},
	'videoCallShots',
	{
		name: 'shot',
		label: 'shot',
		content: 'screenshot the operator took during the video call',
	},
);
