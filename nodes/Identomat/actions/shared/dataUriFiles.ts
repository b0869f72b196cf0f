import { downloadItems } from '../../helpers/downloads';
import { filesOptions, outputFilesField, sessionIdField } from './fields';
import type { OperationModule, OperationOption } from './types';
import { sessionCall } from './session';

/**
 * An API-host endpoint that answers a session's images as nested arrays of data URIs
 * (docs/identomat-api.md, "Files"): session ID in, the files out, named `<sessionId>-<name>-<n>.<extension>`.
 */
export function sessionDataUriFilesOperation(
	option: OperationOption,
	spec: {
		path: string;
		/** File name part, e.g. `visual-marker`. */
		name: string;
		/** How one file is called in messages, e.g. "visual marker". */
		label: string;
		/** What one file is, in the JSON beside it. */
		content: string;
	},
): OperationModule {
	return {
		option,
		properties: [sessionIdField, outputFilesField, filesOptions()],
		async execute(itemIndex) {
			const { sessionId, call } = sessionCall(this, itemIndex, 'api', spec.path);
			return await downloadItems(this, call, 'dataUris', {
				sessionId,
				name: spec.name,
				label: spec.label,
				content: spec.content,
				nameOf: (index) => `${sessionId}-${spec.name}-${index + 1}`,
			});
		},
	};
}
