import type { FileEndpoint, SessionEndpoint } from '../../../shared/api/endpoints';
import { downloadItems } from '../../files/downloads';
import { outputBinaryField, sessionIdField } from './fields';
import { fileOutputOf, getSessionId } from './parameters';
import type { OperationModule, OperationOption } from './types';

/**
 * A session media file from the widget host (the front of the document, the face …): session ID in, one file out,
 * named `<sessionId>-<name>.<extension>`. Large files (the liveness video) are streamed.
 */
export function widgetFileOperation(
	option: OperationOption,
	endpoint: Extract<FileEndpoint, SessionEndpoint>,
	spec: { name: string; content: string },
): OperationModule {
	return {
		option,
		endpoint,
		properties: [sessionIdField, outputBinaryField],
		async execute(itemIndex) {
			const sessionId = getSessionId(this, itemIndex);
			const output = fileOutputOf(this, itemIndex);
			const naming = { sessionId, name: spec.name, content: spec.content };
			return await downloadItems(this, endpoint, { sessionId, itemIndex }, naming, output);
		},
	};
}
