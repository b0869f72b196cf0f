import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../common';
import { description as readDescription, DOCUMENT_READINGS, documentReadingOperation } from './read';

export const operations: Record<string, OperationModule> = Object.fromEntries(
	DOCUMENT_READINGS.map((reading) => [reading.value, documentReadingOperation(reading)]),
);

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['document'] } },
		options: DOCUMENT_READINGS.map(({ name, value, action, description }) => ({ name, value, action, description })).sort(
			(a, b) => a.name.localeCompare(b.name),
		),
		default: 'readIdCardFront',
	},
	...readDescription,
];
