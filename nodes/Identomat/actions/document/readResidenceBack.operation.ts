import { documentReadingOperation } from '../shared/documentReading';

export const { option, endpoint, properties, execute } = documentReadingOperation(
	{
		name: 'Read Residence Permit Back',
		value: 'readResidenceBack',
		action: 'Read the back of a residence permit from a photo',
		description: 'Extract the fields and the MRZ from a photo of the back of a residence permit',
	},
	'readResidenceBack',
);
