import { widgetFileOperation } from '../shared/widgetFile';

export const { option, endpoint, properties, execute } = widgetFileOperation(
	{
		name: 'Get Passport Page',
		value: 'getPassport',
		action: 'Get the passport photo page',
		description: 'Download the image of the passport photo page the person scanned',
	},
	'passportPhoto',
	{ name: 'passport', content: 'photo of the passport photo page' },
);
