import type { SessionEndpoint } from '../../../shared/api/endpoints';
import { type DownloadEndpoint, downloadItems } from '../../files/downloads';
import { filesOptions, outputFilesField, sessionIdField } from './fields';
import { fileOutputOf, getSessionId } from './parameters';
import type { OperationModule, OperationOption } from './types';

/**
 * An API-host endpoint that answers a session's images as nested arrays of data URIs
 * (docs/identomat-api.md, "Files"): session ID in, the files out, named `<sessionId>-<name>-<n>.<extension>`.
 */
export function sessionDataUriFilesOperation(
	option: OperationOption,
	endpoint: Extract<DownloadEndpoint, SessionEndpoint>,
	spec: {
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
		endpoint,
		properties: [sessionIdField, outputFilesField, filesOptions()],
		async execute(itemIndex) {
			const sessionId = getSessionId(this, itemIndex);
			const output = fileOutputOf(this, itemIndex);
			return await downloadItems(
				this,
				endpoint,
				{ sessionId, itemIndex },
				{
					sessionId,
					name: spec.name,
					label: spec.label,
					content: spec.content,
					nameOf: (index) => `${sessionId}-${spec.name}-${index + 1}`,
				},
				output,
			);
		},
	};
}
