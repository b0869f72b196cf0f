/** The node description as the editor and AI agents read it. */
import type { INode, INodePropertyOptions } from 'n8n-workflow';

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
