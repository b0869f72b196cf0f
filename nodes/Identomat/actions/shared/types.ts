import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { EndpointName } from '../../../shared/api/endpoints';

/** An operation's entry in the picker. `value` is what saved workflows store: it never changes. */
export interface OperationOption {
	name: string;
	value: string;
	/** Sentence case, shown in the nodes panel. */
	action: string;
	description: string;
}

/**
 * One Identomat endpoint as an operation of the node: its picker entry, its parameters (without
 * displayOptions: the resource shows them for this operation) and what it does for one item.
 */
export interface OperationModule {
	option: OperationOption;
	/**
	 * The Identomat endpoint it calls (endpoints.ts): whether it changes data for good, and so what
	 * a model is told, comes from there.
	 */
	endpoint: EndpointName;
	properties: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]>;
}
