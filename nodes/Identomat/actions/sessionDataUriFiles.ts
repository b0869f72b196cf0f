import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { dataUriItems } from '../helpers/downloads';
import { sessionFields } from '../transport';
import { filesOptions, getSessionId, outputFilesField, sessionIdField } from './common';

/**
 * An API-host operation that answers a session's images as nested arrays of data URIs (errata 7):
 * session ID in, the files out, named `<sessionId>-<name>-<n>.<extension>`.
 */
export function sessionDataUriFilesOperation(spec: {
	resource: string;
	operation: string;
	path: string;
	/** File name part, e.g. `visual-marker`. */
	name: string;
	/** How one file is called in messages, e.g. "visual marker". */
	label: string;
	action: string;
}): { description: INodeProperties[]; execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> } {
	return {
		description: updateDisplayOptions({ show: { resource: [spec.resource], operation: [spec.operation] } }, [
			sessionIdField,
			outputFilesField,
			filesOptions(),
		]),
		async execute(this: IExecuteFunctions, itemIndex: number) {
			const sessionId = getSessionId(this, itemIndex);
			return await dataUriItems(
				this,
				{
					host: 'api',
					path: spec.path,
					fields: sessionFields('api', sessionId),
					readOnly: true,
					itemIndex,
					action: spec.action,
				},
				{ sessionId, name: spec.name },
				spec.label,
				(index) => `${sessionId}-${spec.name}-${index + 1}`,
			);
		},
	};
}
