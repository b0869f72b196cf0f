import type { INodeProperties } from 'n8n-workflow';

import * as blacklist from './blacklist';
import type { OperationModule } from './common';
import * as configuration from './configuration';
import * as document from './document';
import * as face from './face';
import * as group from './group';
import * as media from './media';
import * as screening from './screening';
import * as session from './session';
import * as user from './user';
import * as videoCall from './videoCall';

export interface Resource {
	name: string;
	value: string;
	description: INodeProperties[];
	operations: Record<string, OperationModule>;
}

/** Every resource of the node, in the order the resource picker shows them (values never change). */
const list: Resource[] = [
	{ name: 'Blacklist', value: 'blacklist', ...blacklist },
	{ name: 'Configuration', value: 'configuration', ...configuration },
	{ name: 'Document', value: 'document', ...document },
	{ name: 'Face', value: 'face', ...face },
	{ name: 'Group', value: 'group', ...group },
	{ name: 'Screening', value: 'screening', ...screening },
	{ name: 'Session', value: 'session', ...session },
	{ name: 'Session Media', value: 'media', ...media },
	{ name: 'User', value: 'user', ...user },
	{ name: 'Video Call', value: 'videoCall', ...videoCall },
];

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

/**
 * The canvas subtitle, e.g. "Session Media: Get Document Front": display names looked up from the
 * stored values, so a business analyst reads names, not internal values.
 */
export const subtitle = (() => {
	const names: Record<string, string> = {};
	for (const resource of list) {
		const selector = resource.description.find((p) => p.name === 'operation');
		for (const option of (selector?.options ?? []) as Array<{ name: string; value: string }>) {
			names[`${resource.value}:${option.value}`] = `${resource.name}: ${option.name}`;
		}
	}
	return `={{ ${JSON.stringify(names)}[$parameter["resource"] + ":" + $parameter["operation"]] }}`;
})();
