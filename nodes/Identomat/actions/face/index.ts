import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../common';
import * as compare from './compare.operation';

export const operations: Record<string, OperationModule> = {
	compare,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['face'] } },
		options: [
			{
				name: 'Compare',
				value: 'compare',
				action: 'Compare two faces',
				description: 'Get a similarity score telling whether two face photos show the same person',
			},
		],
		default: 'compare',
	},
	...compare.description,
];
