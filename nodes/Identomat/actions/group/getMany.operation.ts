import { groups } from '../../helpers/lists';
import { wholeListOperation } from '../shared/wholeList';

/** `list-groups` has no paging: the whole list, limited here. */
export const { option, properties, execute } = wholeListOperation(
	{
		name: 'Get Many',
		value: 'getMany',
		action: 'Get many groups',
		description: 'List the groups of your company with their members',
	},
	groups,
);
