import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { downloadItems } from '../../files/downloads';
import { filesOptions, outputFilesField, sessionIdField } from '../shared/fields';
import type { OperationOption } from '../shared/types';
import { fileOutputOf, getSessionId } from '../shared/parameters';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Get Recordings',
	value: 'getRecordings',
	action: 'Get the recordings of a video call',
	description: 'Download the video recordings of the call, one file per recording (streamed)',
};

export const endpoint = 'videoCallRecordings' satisfies EndpointName;

export const properties: INodeProperties[] = [
	sessionIdField,
	outputFilesField,
	filesOptions([
		{
			displayName: 'Keep as Archive',
			name: 'keepArchive',
			type: 'boolean',
			default: false,
			description:
				'Whether to output the tar archive Identomat sends as one file, instead of one video file per recording',
		},
	]),
];

/**
 * get-video-call-videos answers a tar archive of videos (docs/identomat-api.md, erratum 8). It is streamed: unpacked on the
 * fly into one file per recording, or stored whole with "Keep as Archive".
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const sessionId = getSessionId(this, itemIndex);
	const request = { sessionId, itemIndex };
	const keepArchive = this.getNodeParameter('options.keepArchive', itemIndex, false) as boolean;
	return await downloadItems(
		this,
		endpoint,
		request,
		{
			sessionId,
			name: 'recordings',
			label: 'video call recordings',
			content: keepArchive ? 'archive of the video call recordings' : 'recording of the video call',
		},
		fileOutputOf(this, itemIndex, { keepArchive }),
	);
}
