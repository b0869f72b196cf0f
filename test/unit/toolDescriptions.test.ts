/**
 * What a model reads about the Identomat tool (the node used by an AI Agent or the MCP Server
 * Trigger). n8n describes a usableAsTool node's tool as "<the operation's action> in Identomat"
 * (NodeHelpers.getToolDescriptionForNode, run here as n8n runs it), so the actions are the tool
 * descriptions: the destructive ones must say that they change or erase data for good, and the
 * parameters must say the format a model has to produce (IDs, dates).
 */
import type { INode, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { resources } from '../../nodes/Identomat/actions/resources';
import { Identomat } from '../../nodes/Identomat/Identomat.node';
import { ENDPOINTS } from '../../nodes/shared/api/endpoints';
import { operationsOf } from '../helpers/description';

const nodeType = new Identomat();
const { properties } = nodeType.description;

const operations = operationsOf(nodeType.description).map(({ resource, operation }) => ({
	resource: String(resource.value),
	operation: String(operation.value),
	option: operation,
}));

function toolDescription(resource: string, operation: string): string {
	const node: INode = {
		id: '1',
		name: 'Identomat',
		type: 'n8n-nodes-identomat.identomatTool',
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource, operation, descriptionType: 'auto' },
	};
	return NodeHelpers.getToolDescriptionForNode(node, nodeType);
}

/** Whether the operation cannot be undone: its endpoint's declaration says so (endpoints.ts, `effect`). */
const DESTRUCTIVE = (resource: string, operation: string) =>
	ENDPOINTS[resources[resource].operations[operation].endpoint].effect === 'permanent';

test('every tool description is the operation in words, not "Resource: … Operation: …"', () => {
	for (const { resource, operation, option } of operations) {
		const description = toolDescription(resource, operation);
		expect(description).toBe(`${option.action} in Identomat`);
		expect(description).not.toMatch(/resource|operation|:/i);
	}
	expect(toolDescription('screening', 'search')).toBe(
		'Search sanctions and PEP lists for a person in Identomat',
	);
	expect(toolDescription('document', 'readIdCardFront')).toBe(
		'Read the front of an ID card from a photo in Identomat',
	);
});

test.each(
	operations
		.filter(({ resource, operation }) => DESTRUCTIVE(resource, operation))
		.map(({ resource, operation }) => [resource, operation]),
)('%s → %s tells the model and the user that it cannot be undone', (resource, operation) => {
	const { option } = operations.find((o) => o.resource === resource && o.operation === operation)!;
	expect(toolDescription(resource, operation)).toMatch(/^Permanently |for good/);
	expect(String(option.description)).toMatch(/cannot be (undone|resumed)/);
});

test('the operations declared permanent are every Delete, Remove and End, and User → Create (no endpoint deletes a user)', () => {
	const destructive = operations
		.filter(({ resource, operation }) => DESTRUCTIVE(resource, operation))
		.map((o) => `${o.resource}.${o.operation}`);
	expect(destructive.sort()).toEqual([
		'blacklist.remove',
		'group.delete',
		'screening.removeFromMonitoring',
		'session.delete',
		'user.create',
		'videoCall.end',
	]);
});

test('only an operation that cannot be undone says so: the others do not scare a model off', () => {
	for (const { resource, operation, option } of operations) {
		if (DESTRUCTIVE(resource, operation)) continue;
		expect(`${resource}.${operation}: ${toolDescription(resource, operation)}`).not.toMatch(/Permanently |for good/);
		expect(`${resource}.${operation}: ${String(option.description)}`).not.toMatch(/cannot be (undone|resumed)/);
	}
});

/** Every parameter and option of the node, collections and their options included. */
function allParameters(list: INodeProperties[]): INodeProperties[] {
	return list.flatMap((p) => [
		p,
		...(p.type === 'collection' || p.type === 'fixedCollection'
			? allParameters((p.options ?? []) as INodeProperties[])
			: []),
	]);
}

test('ID parameters say their format: 40 lowercase letters and digits for sessions, 24 hexadecimal characters otherwise', () => {
	const ids = allParameters(properties).filter(
		(p) => /Id$/.test(p.name) && (p.type === 'string' || p.type === 'resourceLocator'),
	);
	expect(ids.map((p) => p.name).sort()).toEqual(
		expect.arrayContaining([
			'configId',
			'groupId',
			'monitoringId',
			'parentSessionId',
			'personId',
			'recordId',
			'sessionConfigId',
			'sessionId',
		]),
	);
	for (const p of ids) {
		const expected = /sessionId$|SessionId$/.test(p.name)
			? /40 lowercase letters and digits/
			: /24 hexadecimal characters/;
		expect(`${p.name}: ${p.description}`).toMatch(expected);
	}
});

test('date parameters say ISO 8601, with an example', () => {
	const dates = allParameters(properties).filter((p) => p.type === 'dateTime');
	expect(dates.length).toBeGreaterThanOrEqual(3);
	for (const p of dates)
		expect(`${p.name}: ${p.description}`).toMatch(/ISO 8601, e\.g\. \d{4}-\d{2}-\d{2}/);
});
