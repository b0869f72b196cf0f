import type { INodeProperties } from 'n8n-workflow';

import { blacklist } from './blacklist';
import { configuration } from './configuration';
import { document } from './document';
import { face } from './face';
import { group } from './group';
import { media } from './media';
import { screening } from './screening';
import { session } from './session';
import type { Resource } from './shared/resource';
import { user } from './user';
import { videoCall } from './videoCall';

/** Every resource of the node, in the order the resource picker shows them (values never change). */
const list: Resource[] = [
	blacklist,
	configuration,
	document,
	face,
	group,
	screening,
	session,
	media,
	user,
	videoCall,
];

export const resources: Record<string, Resource> = Object.fromEntries(
	list.map((r) => [r.value, r]),
);

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
		for (const module of Object.values(resource.operations)) {
			names[`${resource.value}:${module.option.value}`] = `${resource.name}: ${module.option.name}`;
		}
	}
	return `={{ ${JSON.stringify(names)}[$parameter["resource"] + ":" + $parameter["operation"]] }}`;
})();
