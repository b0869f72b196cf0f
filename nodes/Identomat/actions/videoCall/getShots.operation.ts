import { sessionDataUriFilesOperation } from '../sessionDataUriFiles';

/** Screenshots the operator took during the video call. */
export const { description, execute } = sessionDataUriFilesOperation({
	resource: 'videoCall',
	operation: 'getShots',
	path: 'get-video-call-shots',
	name: 'shot',
	label: 'shot',
	action: 'Video Call → Get Shots',
});
