import { downloadItems } from '../../helpers/downloads';
import { outputBinaryField, sessionIdField } from './fields';
import type { OperationModule, OperationOption } from './types';
import { sessionCall } from './session';

/**
 * A session media file from the widget host (`result/card-front/` …): session ID in, one file out,
 * named `<sessionId>-<name>.<extension>`. Large files (the liveness video) are streamed.
 */
export function widgetFileOperation(
	option: OperationOption,
	spec: { path: string; name: string; content: string; streamed?: boolean },
): OperationModule {
	return {
		option,
		properties: [sessionIdField, outputBinaryField],
		async execute(itemIndex) {
			const { sessionId, call } = sessionCall(this, itemIndex, 'widget', spec.path);
			return await downloadItems(this, call, spec.streamed ? 'streamedFile' : 'file', {
				sessionId,
				name: spec.name,
				content: spec.content,
			});
		},
	};
}
