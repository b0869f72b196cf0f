import { widgetFileOperation } from './widgetFile';

/** The liveness video can be large: it is streamed into n8n's binary storage, never held whole. */
export const { description, execute } = widgetFileOperation({
	operation: 'getFaceVideo',
	path: 'result/face-video/',
	name: 'liveness',
	action: 'Session Media → Get Liveness Video',
	streamed: true,
});
