import { widgetFileOperation } from '../shared/widgetFile';

export const { option, endpoint, properties, execute } = widgetFileOperation(
	{
		name: 'Get Document Front',
		value: 'getCardFront',
		action: 'Get the front of the identity document',
		description: 'Download the photo of the front side of the ID card the person scanned',
	},
	'cardFront',
	{
		name: 'card-front',
		content: 'photo of the front of the identity document',
	},
);
