import { widgetFileOperation } from '../shared/widgetFile';

export const { option, endpoint, properties, execute } = widgetFileOperation(
	{
		name: 'Get Document Back',
		value: 'getCardBack',
		action: 'Get the back of the identity document',
		description: 'Download the photo of the back side of the ID card the person scanned',
	},
	'cardBack',
	{
		name: 'card-back',
		content: 'photo of the back of the identity document',
	},
);
