import type { IDataObject } from 'n8n-workflow';

import type { WholeList } from '../../../shared/api/lists';
import type { EndpointName } from '../../../shared/api/endpoints';
import { limitRecords } from '../../../shared/api/pagination';
import { limitField, returnAllField } from './fields';
import type { OperationModule, OperationOption } from './types';

/** Get Many of a list Identomat answers whole: Return All / Limit applied here, one item per record. */
export function wholeListOperation<T extends IDataObject>(
	option: OperationOption,
	endpoint: Extract<EndpointName, 'groups' | 'users'>,
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
