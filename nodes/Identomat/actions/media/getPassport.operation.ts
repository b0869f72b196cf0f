import { widgetFileOperation } from './widgetFile';

export const { description, execute } = widgetFileOperation({
	operation: 'getPassport',
	path: 'result/passport/',
	name: 'passport',
	action: 'Session Media → Get Passport Page',
});
