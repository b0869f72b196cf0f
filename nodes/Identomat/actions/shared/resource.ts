import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OperationModule } from './types';

export interface Resource {
	name: string;
	value: string;
	operations: Record<string, OperationModule>;
	/** The operation picker of this resource, then every operation's parameters. */
	description: INodeProperties[];
}

/**
 * A resource of the node, built from the list of its operation modules: the first one is the
 * picker's default, the picker lists them by name. Operations that share one parameter list (the
 * document reads) get it once, shown for all of them.
 */
export function defineResource(name: string, value: string, modules: OperationModule[]): Resource {
	const firstOperation = modules[0].option.value;
	const picker: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [value] } },
		options: modules.map((m) => m.option).sort((a, b) => a.name.localeCompare(b.name)),
		default: firstOperation,
	};
	const shownFor = new Map<INodeProperties[], string[]>();
	for (const module of modules)
		shownFor.set(module.properties, [
			...(shownFor.get(module.properties) ?? []),
			module.option.value,
		]);
	const parameters = [...shownFor].flatMap(([properties, operations]) =>
		updateDisplayOptions({ show: { resource: [value], operation: operations } }, properties),
	);
	return {
		name,
		value,
		operations: Object.fromEntries(modules.map((m) => [m.option.value, m])),
		description: [picker, ...parameters],
	};
}

/** What an operation is called in messages, e.g. "Session → Get Result". */
export function actionLabel(resource: Resource, module: OperationModule): string {
	return `${resource.name} → ${module.option.name}`;
}
