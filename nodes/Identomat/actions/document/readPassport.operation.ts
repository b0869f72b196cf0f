import { documentReadingOperation } from '../shared/documentReading';

export const { option, endpoint, properties, execute } = documentReadingOperation(
	{
		name: 'Read Passport',
		value: 'readPassport',
		action: 'Read a passport from a photo of its photo page',
		description:
			'Extract the MRZ and the printed fields from a photo of the photo page of a passport',
	},
	'readPassport',
);
