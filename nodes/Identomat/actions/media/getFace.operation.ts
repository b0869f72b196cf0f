import { widgetFileOperation } from './widgetFile';

export const { description, execute } = widgetFileOperation({
	operation: 'getFace',
	path: 'result/face/',
	name: 'face',
	action: 'Session Media → Get Face Image',
});
