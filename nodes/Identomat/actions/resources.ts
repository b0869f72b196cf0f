import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from './common';
import * as session from './session';

export interface Resource {
	name: string;
	value: string;
	description: INodeProperties[];
	operations: Record<string, OperationModule>;
}

/** Every resource of the node, in the order the resource picker shows them. */
const list: Resource[] = [{ name: 'Session', value: 'session', ...session }];

export const resources: Record<string, Resource> = Object.fromEntries(list.map((r) => [r.value, r]));

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: list.map(({ name, value }) => ({ name, value })),
	default: 'session',
};

export const resourceProperties: INodeProperties[] = list.flatMap((r) => r.description);
