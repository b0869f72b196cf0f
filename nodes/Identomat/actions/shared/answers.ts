import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { resultOf } from '../../../shared/api/call';
import { errorPlace, unreadableAnswerError } from '../../../shared/transport';

/** The ID of a created record: Identomat answers `{result: "<id>"}` or `{result: {id: "<id>"}}`. */
export function createdId(ctx: IExecuteFunctions, itemIndex: number, answer: unknown): string {
	const result = resultOf<unknown>(answer);
	const id = typeof result === 'object' && result !== null ? (result as IDataObject).id : result;
	if ((typeof id === 'string' && id !== '') || typeof id === 'number') return String(id);
	throw unreadableAnswerError(errorPlace(ctx, itemIndex), 'it carries no ID of the new record');
}

/**
 * An add that Identomat refuses with `already-exists`: by default the item reports it (`flag: true`)
 * and the flow goes on, since re-adding someone already there is a normal step of a workflow; with
 * the node's "Stop If Already …" option on, it stays the refusal it was. Identomat's refusal names
 * no existing record, so none is given.
 */
export async function addUnlessThere(
	ctx: IExecuteFunctions,
	itemIndex: number,
	flag: string,
	add: () => Promise<IDataObject>,
): Promise<IDataObject> {
	const added = await add().catch((error: unknown) => {
		const alreadyThere =
			error instanceof NodeApiError && error.errorResponse?.identomatCode === 'already-exists';
		if (
			alreadyThere &&
			ctx.getNodeParameter('options.stopIfAlreadyThere', itemIndex, false) !== true
		)
			return undefined;
		throw error;
	});
	return added ? { ...added, [flag]: false } : { [flag]: true };
}

/** The option that makes an add of a record already there stop the item instead of reporting it. */
export function stopIfAlreadyThereOption(
	displayName: string,
	already: string,
	flag: string,
): INodeProperties {
	return {
		displayName,
		name: 'stopIfAlreadyThere',
		type: 'boolean',
		default: false,
		description: `Whether to stop with a message when ${already} (with Continue On Fail: an item with "error"). Off: the item says ${flag}: true and the workflow goes on.`,
	};
}
