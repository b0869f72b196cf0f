import { sessionDataUriFilesOperation } from '../shared/dataUriFiles';

/** Images of the document's security features. */
export const { option, endpoint, properties, execute } = sessionDataUriFilesOperation(
	{
		name: 'Get Visual Markers',
		value: 'getVisualMarkers',
		action: 'Get the visual markers of the document',
		description: "Download the images of the document's visual security features",
	},
	'visualMarkers',
	{
		name: 'visual-marker',
		label: 'visual marker',
		content: 'image of a visual security feature of the document',
	},
);
