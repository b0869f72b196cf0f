import { downloadItems } from '../../helpers/downloads';
import { sessionFields } from '../../transport';
import { outputBinaryField, sessionIdField } from './fields';
import { getSessionId } from './parameters';
import type { OperationModule, OperationOption } from './types';

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
			const sessionId = getSessionId(this, itemIndex);
			const call = {
				host: 'widget' as const,
				path: spec.path,
				fields: sessionFields('widget', sessionId),
				readOnly: true,
				itemIndex,
			};
			return await downloadItems(this, call, spec.streamed ? 'streamedFile' : 'file', {
				sessionId,
				name: spec.name,
				content: spec.content,
			});
		},
	};
}
