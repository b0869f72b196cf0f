import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { callEndpoint } from '../../../shared/api/call';
import { firstNameField, lastNameField } from '../shared/fields';
import { idList, optionalText, requiredText } from '../shared/parameters';
import { createdId } from '../shared/answers';
import type { OperationOption } from '../shared/types';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Create',
	value: 'create',
	action: "Permanently add a user with access to your company's data",
	description:
		'Create a user of Identomat Manage with the given roles. It cannot be undone here: no operation deletes users.',
};

export const endpoint = 'createUser' satisfies EndpointName;

export const properties: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'e.g. name@example.com',
		required: true,
		default: '',
		description: 'Email address the user signs in to Identomat Manage with',
	},
	{
		displayName: 'Password',
		name: 'password',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description: 'Initial password of the user, at least 8 characters',
	},
	{
		displayName: 'Roles',
		name: 'roles',
		type: 'multiOptions',
		options: [
			{ name: 'Administrator', value: 'administrator' },
			{ name: 'Call Center Operator', value: 'call_center_operator' },
			{ name: 'Operator', value: 'operator' },
		],
		default: ['call_center_operator'],
		description:
			"What the user may do in Identomat. Leave empty for Identomat's default (Call Center Operator).",
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Email Verified',
				name: 'emailVerified',
				type: 'boolean',
				default: false,
				description: 'Whether to mark the email address as already verified',
			},
			firstNameField,
			lastNameField,
		],
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const email = requiredText(this, itemIndex, 'email', 'Email');
	// Sent as text whatever an expression gives: Identomat rejects a number password with an internal error.
	const password = String(this.getNodeParameter('password', itemIndex, '') ?? '');
	if (!password) requiredText(this, itemIndex, 'password', 'Password');
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const fields: IDataObject = { email, password };
	const rights = idList(this.getNodeParameter('roles', itemIndex, []));
	if (rights.length) fields.rights = rights;
	for (const name of ['firstName', 'lastName']) {
		const value = optionalText(this, itemIndex, `additionalFields.${name}`);
		if (value) fields[name] = value;
	}
	if (additional.emailVerified !== undefined)
		fields.emailVerified = additional.emailVerified === true;
	const answer = await callEndpoint(this, endpoint, {
		fields,
		itemIndex,
	});
	return [{ json: { id: createdId(this, itemIndex, answer) } }];
}
