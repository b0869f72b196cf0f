import { widgetFileOperation } from './widgetFile';

export const { description, execute } = widgetFileOperation({
	operation: 'getFaceDocument',
	path: 'result/face-document/',
	name: 'selfie-with-document',
	action: 'Session Media → Get Selfie With Document',
});
