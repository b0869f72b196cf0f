import { widgetFileOperation } from './widgetFile';

export const { description, execute } = widgetFileOperation({
	operation: 'getCardFront',
	path: 'result/card-front/',
	name: 'card-front',
	action: 'Session Media → Get Document Front',
});
