import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../common';
import * as end from './end.operation';
import * as getRecordings from './getRecordings.operation';
import * as getShots from './getShots.operation';

export const operations: Record<string, OperationModule> = {
	getShots,
	getRecordings,
	end,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['videoCall'] } },
		options: [
			{
				name: 'End',
				value: 'end',
				action: 'End a video call',
				description: 'Hang up the active video call of a session (it cannot be resumed)',
			},
			{
				name: 'Get Recordings',
				value: 'getRecordings',
				action: 'Get the recordings of a video call',
				description: 'Download the video recordings of the call, one file per recording (streamed)',
			},
			{
				name: 'Get Shots',
				value: 'getShots',
				action: 'Get the shots of a video call',
				description: 'Download the screenshots the operator took during the call',
			},
		],
		default: 'getShots',
	},
	...getShots.description,
	...getRecordings.description,
	...end.description,
];
