import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ListEndpoint } from '../../../shared/api/endpoints';
import type { WholeList } from '../../../shared/api/lists';
import {
	collectPages,
	listKeptShiftingMessage,
	PAGE_SIZE,
	type PageFetcher,
} from '../../../shared/api/pagination';
import { itemLabel } from '../../../shared/transport';
import { limitField, returnAllField } from './fields';
import type { OperationModule, OperationOption } from './types';

/** The Get Many operations: "Return All" and "Limit" over a paged list or one answered whole. */

export interface Wanted {
	returnAll: boolean;
	/** The number of records wanted; Infinity with Return All. */
	max: number;
}

/** Reads "Return All" and "Limit" of an item, with a clear message for a limit that is no count. */
export function wantedRecords(ctx: IExecuteFunctions, itemIndex: number): Wanted {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	if (returnAll) return { returnAll, max: Infinity };
	const limit = Number(ctx.getNodeParameter('limit', itemIndex, 50));
	if (!Number.isInteger(limit) || limit < 1) {
		throw new NodeOperationError(
			ctx.getNode(),
			`"Limit" in ${itemLabel(itemIndex)} must be a whole number of at least 1`,
			{
				itemIndex,
				description: `It is "${String(ctx.getNodeParameter('limit', itemIndex, ''))}". Enter how many results to return, or switch on "Return All".`,
			},
		);
	}
	return { returnAll, max: limit };
}

/** Return All / Limit over a paged endpoint: the records wanted by this item. */
export async function paginate<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fetchPage: PageFetcher<T>,
	key?: (record: T) => string | undefined,
): Promise<T[]> {
	return await collectPages(fetchPage, wantedRecords(ctx, itemIndex).max, PAGE_SIZE, {
		key,
		keptShifting: () => listKeptShiftingMessage(ctx, itemIndex),
	});
}

/** Return All / Limit over a list Identomat answers whole. */
export function limitRecords<T>(ctx: IExecuteFunctions, itemIndex: number, records: T[]): T[] {
	const { max } = wantedRecords(ctx, itemIndex);
	return Number.isFinite(max) ? records.slice(0, max) : records;
}

/** Get Many of a list Identomat answers whole: Return All / Limit applied here, one item per record. */
export function wholeListOperation<T extends IDataObject>(
	option: OperationOption,
	endpoint: ListEndpoint,
	list: WholeList<T>,
): OperationModule {
	return {
		option,
		endpoint,
		properties: [returnAllField, limitField],
		async execute(itemIndex) {
			const records = await list(this, { itemIndex });
			return limitRecords(this, itemIndex, records).map((json) => ({ json }));
		},
	};
}
