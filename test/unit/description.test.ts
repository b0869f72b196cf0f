/** The node description as the editor and AI agents read it. */
import type { INode, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { Identomat } from '../../nodes/Identomat/Identomat.node';
import { buildWorkflow } from '../helpers/runner';

const node = new Identomat();
const { properties, subtitle } = node.description;

const operations = (properties.find((p) => p.name === 'resource')!.options as INodePropertyOptions[]).flatMap((resource) =>
	(
		properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource.value))!
			.options as INodePropertyOptions[]
	).map((operation) => ({ resource, operation })),
);

test('42 operations, one per endpoint, each with an action and a description an agent can act on', () => {
	expect(operations).toHaveLength(42);
	for (const { operation } of operations) {
		expect(operation.action).toMatch(/^[A-Z][a-z]/);
		expect(String(operation.description).length).toBeGreaterThan(15);
	}
	const destructive = operations.filter(({ operation }) => /^(delete|remove)$/i.test(String(operation.value)));
	for (const { operation } of destructive) expect(String(operation.description)).toMatch(/permanent|cannot be undone|stop|remov|delet/i);
});

test.each(operations.map(({ resource, operation }) => [resource.value, operation.value, `${resource.name}: ${operation.name}`]))(
	'the canvas subtitle of %s/%s reads "%s"',
	(resource, operation, expected) => {
		const parameters = { resource, operation } as INode['parameters'];
		const workflowNode: INode = { id: '1', name: 'Identomat', type: 'identomat', typeVersion: 1, position: [0, 0], parameters };
		const workflow = buildWorkflow(workflowNode, node);
		expect(workflow.expression.getSimpleParameterValue(workflowNode, subtitle!, 'manual', {})).toBe(expected);
	},
);

test('every loadOptionsMethod and searchListMethod of the description exists', () => {
	const used: Array<[string, string]> = [];
	const walk = (props: INodeProperties[]) => {
		for (const p of props) {
			if (p.typeOptions?.loadOptionsMethod) used.push(['loadOptions', p.typeOptions.loadOptionsMethod]);
			for (const mode of p.modes ?? []) {
				if (mode.typeOptions?.searchListMethod) used.push(['listSearch', mode.typeOptions.searchListMethod]);
			}
			if (p.options) walk(p.options.filter((o): o is INodeProperties => 'type' in o && 'displayName' in o));
		}
	};
	walk(properties);
	expect(used).toEqual(expect.arrayContaining([['loadOptions', 'getUsers'], ['listSearch', 'searchGroups']]));
	for (const [kind, name] of used) {
		expect(typeof (node.methods[kind as 'loadOptions' | 'listSearch'] as Record<string, unknown>)[name]).toBe('function');
	}
});
