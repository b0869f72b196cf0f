import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../common';
import * as get from './get.operation';

export const operations: Record<string, OperationModule> = { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['configuration'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a session configuration',
				description: 'Get the steps and settings of a flow built in the no-code builder',
			},
		],
		default: 'get',
	},
	...get.description,
];
