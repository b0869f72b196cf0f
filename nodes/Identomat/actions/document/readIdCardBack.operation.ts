import { documentReadingOperation } from '../shared/documentReading';

export const { option, endpoint, properties, execute } = documentReadingOperation(
	{
		name: 'Read ID Card Back',
		value: 'readIdCardBack',
		action: 'Read the back of an ID card from a photo',
		description: 'Extract the fields and the MRZ from a photo of the back of an ID card',
	},
	'readIdCardBack',
);
