import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { fileItem, streamedFileItem } from '../../helpers/downloads';
import { sessionFields } from '../../transport';
import { getSessionId, outputBinaryField, sessionIdField } from '../common';

/**
 * A session media file from the widget host (`result/card-front/` …): session ID in, one file out,
 * named `<sessionId>-<name>.<extension>`. Large files (the liveness video) are streamed.
 */
export function widgetFileOperation(spec: {
	operation: string;
	path: string;
	name: string;
	action: string;
	streamed?: boolean;
}): { description: INodeProperties[]; execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> } {
	return {
		description: updateDisplayOptions({ show: { resource: ['media'], operation: [spec.operation] } }, [
			sessionIdField,
			outputBinaryField,
		]),
		async execute(this: IExecuteFunctions, itemIndex: number) {
			const sessionId = getSessionId(this, itemIndex);
			const call = {
				host: 'widget' as const,
				path: spec.path,
				fields: sessionFields('widget', sessionId),
				readOnly: true,
				itemIndex,
				action: spec.action,
			};
			const download = spec.streamed ? streamedFileItem : fileItem;
			return await download(this, call, { sessionId, name: spec.name });
		},
	};
}
