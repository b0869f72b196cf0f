import { sessionDataUriFilesOperation } from '../sessionDataUriFiles';

/** Images of the document's security features. */
export const { description, execute } = sessionDataUriFilesOperation({
	resource: 'media',
	operation: 'getVisualMarkers',
	path: 'get-visual-markers',
	name: 'visual-marker',
	label: 'visual marker',
	action: 'Session Media → Get Visual Markers',
});
