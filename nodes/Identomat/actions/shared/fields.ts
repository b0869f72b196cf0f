import type { INodeProperties } from 'n8n-workflow';

/**
 * Parameter descriptions several operations share. The names stay the same everywhere, so a value
 * survives switching operations.
 */

export const sessionIdField: INodeProperties = {
	displayName: 'Session ID',
	name: 'sessionId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 47fjzxvvzapi4ztasth3c2ozfucli3l0qx13hisc',
	description:
		'The ID of the session, 40 lowercase letters and digits, as returned by Session → Create. A session link (…?session_token=…) works too.',
};

export const outputBinaryField: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	required: true,
	default: 'data',
	hint: 'The name of the output binary field to put the file in',
};

/** "Put Output Files in Field" for operations that may yield several files (`data`, `data_1` …). */
export const outputFilesField: INodeProperties = {
	...outputBinaryField,
	displayName: 'Put Output Files in Field',
	hint: 'The name of the output binary field to put the file in; further files go to <field>_1, <field>_2 …',
};

export function inputBinaryField(
	displayName: string,
	name: string,
	description: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the input binary field containing the image',
		description,
	};
}

export const returnAllField: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

export const limitField: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 50,
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false] } },
};

/** Where several downloaded files go: one item with all of them (default) or one item each. */
const filesOutputOption: INodeProperties = {
	displayName: 'Output',
	name: 'output',
	type: 'options',
	options: [
		{
			name: 'One Item With All Files',
			value: 'oneItem',
			description: 'One item whose binary fields hold every file: data, data_1, data_2 …',
		},
		{
			name: 'One Item per File',
			value: 'itemPerFile',
			description: 'One item for each file, always in the output field',
		},
	],
	default: 'oneItem',
	description: 'How to output the files when there are several',
};

/** The Options collection of operations that yield several files: `extra` options, then Output. */
export function filesOptions(extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...extra, filesOutputOption],
	};
}

export const firstNameField: INodeProperties = {
	displayName: 'First Name',
	name: 'firstName',
	type: 'string',
	default: '',
	placeholder: 'e.g. John',
};

export const lastNameField: INodeProperties = {
	displayName: 'Last Name',
	name: 'lastName',
	type: 'string',
	default: '',
	placeholder: 'e.g. Doe',
};
