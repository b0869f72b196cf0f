import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readInputImage } from '../../helpers/binary';
import { callIdentomat } from '../../transport';
import { errorFromIdentomat } from '../../transport/errors';
import { inputBinaryField, simplifyField, type OperationModule } from '../common';

/**
 * The seven document-reading endpoints (`card/front/` … `passport/`, widget host): the same request
 * (one JPEG or PNG in the multipart field `image`) and the same kind of answer (extracted fields,
 * or a bare error-code string), so one implementation serves them all.
 */

export interface DocumentReading {
	/** The operation value saved in workflows: never changes. */
	value: string;
	name: string;
	/** Sentence-case action shown in the node picker. */
	action: string;
	description: string;
	/** Endpoint path on the widget host. */
	path: string;
}

export const DOCUMENT_READINGS: DocumentReading[] = [
	{
		value: 'readIdCardFront',
		name: 'Read ID Card Front',
		action: 'Read the front of an ID card',
		description: 'Extract the name, birthday, document number and more from a photo of the front of an ID card',
		path: 'card/front/',
	},
	{
		value: 'readIdCardBack',
		name: 'Read ID Card Back',
		action: 'Read the back of an ID card',
		description: 'Extract the fields and the MRZ from a photo of the back of an ID card',
		path: 'card/back/',
	},
	{
		value: 'readLicenseFront',
		name: 'Read Driver License Front',
		action: 'Read the front of a driver license',
		description: 'Extract the name, birthday, license number and more from a photo of the front of a driver license',
		path: 'license/front/',
	},
	{
		value: 'readLicenseBack',
		name: 'Read Driver License Back',
		action: 'Read the back of a driver license',
		description: 'Extract the fields from a photo of the back of a driver license',
		path: 'license/back/',
	},
	{
		value: 'readResidenceFront',
		name: 'Read Residence Permit Front',
		action: 'Read the front of a residence permit',
		description: 'Extract the name, birthday, document number and more from a photo of the front of a residence permit',
		path: 'residence/front/',
	},
	{
		value: 'readResidenceBack',
		name: 'Read Residence Permit Back',
		action: 'Read the back of a residence permit',
		description: 'Extract the fields and the MRZ from a photo of the back of a residence permit',
		path: 'residence/back/',
	},
	{
		value: 'readPassport',
		name: 'Read Passport',
		action: 'Read a passport',
		description: 'Extract the MRZ and the printed fields from a photo of the photo page of a passport',
		path: 'passport/',
	},
];

const properties: INodeProperties[] = [
	inputBinaryField(
		'Input Binary Field',
		'binaryPropertyName',
		'The binary field holding the photo of the document (JPEG or PNG)',
	),
	{
		...simplifyField,
		description:
			'Whether to return only the ten most useful fields (names, birthday, document and personal numbers, expiry, issuing state, nationality, sex, MRZ) instead of everything Identomat extracted',
	},
];

/** The parameters of every document-reading operation (one set, shown for all seven). */
export const description = updateDisplayOptions(
	{ show: { resource: ['document'], operation: DOCUMENT_READINGS.map((d) => d.value) } },
	properties,
);

type Answer = IDataObject & { person?: IDataObject; mrzData?: IDataObject; visualData?: IDataObject };

/**
 * The fields a flow usually needs, from `person` first, then the document fields (for passports the
 * MRZ, then the printed page). Always the same keys; missing values are null.
 */
export function simplifyDocument(answer: Answer): IDataObject {
	const sources = [answer.person, answer.mrzData, answer.visualData, answer].filter(
		(source): source is IDataObject => typeof source === 'object' && source !== null,
	);
	const first = (...keys: string[]) => {
		for (const key of keys) {
			for (const source of sources) {
				const value = source[key];
				if (value !== undefined && value !== null && value !== '') return value;
			}
		}
		return null;
	};
	return {
		firstName: first('first_name', 'Given_Names_en_US'),
		lastName: first('last_name', 'Surname_en_US'),
		birthday: first('birthday_time', 'Date_of_Birth_ISO', 'birthday', 'Date_of_Birth_en_US'),
		documentNumber: first('document_number', 'Document_Number_en_US'),
		personalNumber: first('personal_number', 'Personal_Number_en_US'),
		documentExpires: first('document_expires_time', 'Date_of_Expiry_ISO', 'document_expires', 'Date_of_Expiry_en_US'),
		issuingState: first('issuing_state', 'Issuing_State_Code_en_US'),
		nationality: first('nationality', 'citizenship', 'Nationality_Code_en_US'),
		sex: first('sex', 'Sex_en_US'),
		mrz: first('mrz'),
	};
}

/** The operation module of one document reading. */
export function documentReadingOperation(reading: DocumentReading): OperationModule {
	const action = `Document → ${reading.name}`;
	return {
		description,
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
			const image = await readInputImage(this, itemIndex, 'binaryPropertyName', 'image');
			const answer = await callIdentomat<unknown>(this, {
				host: 'widget',
				path: reading.path,
				files: [image],
				readOnly: true,
				itemIndex,
				action,
			});
			if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
				// "Either a string with an error code or an object" (NOTES.md errata 10): the transport
				// recognises UPPER_CASE codes; anything else that is not an object is a code too.
				throw errorFromIdentomat({ node: this.getNode(), itemIndex, action }, { code: String(answer) }, 200);
			}
			const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
			return [{ json: simplify ? simplifyDocument(answer as Answer) : (answer as IDataObject) }];
		},
	};
}
