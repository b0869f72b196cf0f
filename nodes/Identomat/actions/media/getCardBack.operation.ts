import { widgetFileOperation } from './widgetFile';

export const { description, execute } = widgetFileOperation({
	operation: 'getCardBack',
	path: 'result/card-back/',
	name: 'card-back',
	action: 'Session Media → Get Document Back',
});
