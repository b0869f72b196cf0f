import { documentReadingOperation } from '../shared/documentReading';

export const { option, endpoint, properties, execute } = documentReadingOperation(
	{
		name: 'Read Residence Permit Front',
		value: 'readResidenceFront',
		action: 'Read the front of a residence permit from a photo',
		description:
			'Extract the name, birthday, document number and more from a photo of the front of a residence permit',
	},
	'readResidenceFront',
);
