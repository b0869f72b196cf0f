import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { errorPlace, messageAt, setRunSettings } from '../../shared/transport';
import { resources } from './resources';
import { itemLabel, timeoutOptionMs } from './shared/parameters';
import { actionLabel } from './shared/resource';

export const MAX_CONCURRENCY = 100;

/**
 * Node-level options that apply to every operation: how many items are sent to Identomat at once,
 * and how long to wait for an answer (handed to the transport by the router, per item).
 */
export const requestOptionsProperty: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Concurrent Requests',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY, numberPrecision: 0 },
			default: 1,
			description:
				'How many items to send to Identomat at the same time (1–100). Output order and item pairing stay the same. Raise it to speed up many items (10 to 50 is plenty for most connections); keep it at 1 for operations that create or delete when a stop on the first failing item matters. Higher values load Identomat harder (when it answers "too many requests", reads wait and retry, changes fail) and hold that many files in memory at once.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 120,
			description:
				'How long one try waits for Identomat to answer (for file downloads: for each piece of the file; raise it for large files on slow connections). Without this option a read waits 30 seconds a try and gives up after one minute in all, retries included; a file download waits 2 minutes for each piece. An Image URL gets this long for each wait and twice it for the whole image (30 and 60 seconds when the option is not set).',
		},
	],
};

/**
 * The per-item loop, and the one place where item errors are handled: every output item is paired
 * with its input; with "Continue On Fail" a failing item becomes an error item and the rest go on.
 * With "Concurrent Requests" above 1, up to that many items are in flight at once; results are
 * still put out in input order. Without "Continue On Fail" no new item starts after a failure, the
 * ones in flight finish, and the failure of the lowest item is raised.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const module = resources[resource]?.operations[operation];
	if (!module) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
			{
				description: 'Open the node and choose the resource and operation again.',
			},
		);
	}

	setRunSettings(this, {
		action: actionLabel(resources[resource], module),
		timeoutMs: (itemIndex) => timeoutOptionMs(this, itemIndex),
	});
	const concurrency = concurrencyOf(this, items.length);
	const results: INodeExecutionData[][] = new Array(items.length);
	let next = 0;
	let firstFailure: { itemIndex: number; error: NodeApiError | NodeOperationError } | undefined;

	const runItem = async (itemIndex: number) => {
		try {
			const output = await module.execute.call(this, itemIndex);
			results[itemIndex] = output.map((result) => ({ ...result, pairedItem: { item: itemIndex } }));
		} catch (error) {
			const itemError = asItemError(this, error, itemIndex);
			if (runsAsTool(this)) withHintInMessage(itemError);
			if (!this.continueOnFail()) {
				if (!firstFailure || itemIndex < firstFailure.itemIndex)
					firstFailure = { itemIndex, error: itemError };
				return;
			}
			// `error` set: n8n's "Continue (using error output)" routes an item by it (a json with more
			// keys than error/message/details would otherwise stay on the success output).
			results[itemIndex] = [
				{ json: errorJson(itemError), error: itemError, pairedItem: { item: itemIndex } },
			];
		}
	};

	const worker = async () => {
		while (next < items.length && !firstFailure) await runItem(next++);
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	if (firstFailure) throw firstFailure.error;
	return [results.flat()];
}

function concurrencyOf(ctx: IExecuteFunctions, itemCount: number): number {
	const value = Number(ctx.getNodeParameter('requestOptions.concurrency', 0, 1));
	const wanted = Number.isFinite(value) ? Math.floor(value) : 1;
	return Math.max(1, Math.min(wanted, MAX_CONCURRENCY, itemCount || 1));
}

/**
 * Any thrown value as an error of its item. Ours and n8n's errors keep their message; something
 * that is no Error at all (null, a number, a plain object) gets a message of its own, without
 * quoting it.
 */
function asItemError(ctx: IExecuteFunctions, error: unknown, itemIndex: number) {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	if (error instanceof Error) return new NodeOperationError(ctx.getNode(), error, { itemIndex });
	return new NodeOperationError(
		ctx.getNode(),
		messageAt(errorPlace(ctx), `The node stopped unexpectedly in ${itemLabel(itemIndex)}`),
		{
			itemIndex,
			description:
				'Run it again. If it keeps happening, report it to the maintainers of n8n-nodes-identomat with the steps that lead to it.',
		},
	);
}

/** As an AI tool (`identomatTool`), the node's messages go to a model, which reads only the message. */
function runsAsTool(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

/** The hint joined to the message, the way n8n itself does for tools it runs directly. */
function withHintInMessage(error: NodeApiError | NodeOperationError) {
	if (error.description && !error.message.includes(error.description)) {
		error.message = `${error.message}\n\nDetails: ${error.description}`;
	}
}

function errorJson(error: NodeApiError | NodeOperationError): IDataObject {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	const code = (error as NodeApiError).errorResponse?.identomatCode;
	if (code) json.code = code;
	return json;
}
