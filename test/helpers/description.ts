import type { INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';

/** Every operation of a node, as its editor lists them: each resource option with each of its operation options. */
export function operationsOf({ properties }: INodeTypeDescription) {
	const resources = properties.find((p) => p.name === 'resource')!.options as INodePropertyOptions[];
	return resources.flatMap((resource) => {
		const picker = properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource.value))!;
		return (picker.options as INodePropertyOptions[]).map((operation) => ({ resource, operation }));
	});
}
