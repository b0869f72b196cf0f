import { groups } from '../../../shared/api/lists';
import { wholeListOperation } from '../shared/getMany';

/** Groups have no paging: the whole list, limited here. */
export const { option, endpoint, properties, execute } = wholeListOperation(
	{
		name: 'Get Many',
		value: 'getMany',
		action: 'Get many groups',
		description: 'List the groups of your company with their members',
	},
	'groups',
	groups,
);
