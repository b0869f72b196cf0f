import { documentReadingOperation } from '../shared/documentReading';

export const { option, endpoint, properties, execute } = documentReadingOperation(
	{
		name: 'Read ID Card Front',
		value: 'readIdCardFront',
		action: 'Read the front of an ID card from a photo',
		description:
			'Extract the name, birthday, document number and more from a photo of the front of an ID card',
	},
	'readIdCardFront',
);
