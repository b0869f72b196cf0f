import { documentReadingOperation } from '../shared/documentReading';

export const { option, endpoint, properties, execute } = documentReadingOperation(
	{
		name: 'Read Driver License Front',
		value: 'readLicenseFront',
		action: 'Read the front of a driver license from a photo',
		description:
			'Extract the name, birthday, license number and more from a photo of the front of a driver license',
	},
	'readLicenseFront',
);
