import type { INodeProperties } from 'n8n-workflow';

/** Parameters the screening operations share (same names, so values survive switching operations). */

export const fullNameField: INodeProperties = {
	displayName: 'Full Name',
	name: 'fullName',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. John Smith',
	description: 'Full name of the person, as it would appear on a sanctions or PEP list',
};

export const birthdayFromOption: INodeProperties = {
	displayName: 'Birthday From',
	name: 'birthdayFrom',
	type: 'dateTime',
	default: '',
	description: 'Only match people born on or after this date (ISO 8601, e.g. 1980-01-31)',
};
