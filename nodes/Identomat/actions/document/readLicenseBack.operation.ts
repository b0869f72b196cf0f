import { documentReadingOperation } from '../shared/documentReading';

export const { option, endpoint, properties, execute } = documentReadingOperation(
	{
		name: 'Read Driver License Back',
		value: 'readLicenseBack',
		action: 'Read the back of a driver license from a photo',
		description: 'Extract the fields from a photo of the back of a driver license',
	},
	'readLicenseBack',
);
