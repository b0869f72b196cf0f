import { users } from '../../../shared/api/lists';
import { wholeListOperation } from '../shared/getMany';

/** Users have no paging: the whole list, limited here. */
export const { option, endpoint, properties, execute } = wholeListOperation(
	{
		name: 'Get Many',
		value: 'getMany',
		action: 'Get many users',
		description: 'List the users of your company with their roles',
	},
	'users',
	users,
);
