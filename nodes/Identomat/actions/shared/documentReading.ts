import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { callEndpoint } from '../../../shared/api/call';
import type { DocumentReadEndpoint } from '../../../shared/api/endpoints';
import { errorFromIdentomat, errorPlace } from '../../../shared/transport';
import { inputBinaryField } from './fields';
import {
	allowInternalAddressesField,
	fromBinaryField,
	imageSourceField,
	imageUrlField,
	inputImage,
} from '../../imageInput';
import { outputProperties, shapeOutput } from './output';
import type { OperationModule, OperationOption } from './types';

/**
 * The seven document-reading endpoints (readIdCardFront … readPassport, widget host) take the same
 * request (one JPEG or PNG in the multipart field `image`) and give the same kind of answer
 * (extracted fields, or a bare error-code string): one implementation and one parameter list
 * serve them all.
 */

const properties: INodeProperties[] = [
	imageSourceField,
	fromBinaryField(
		inputBinaryField(
			'Input Binary Field',
			'binaryPropertyName',
			'The binary field holding the photo of the document (JPEG or PNG)',
		),
	),
	imageUrlField('Image URL', 'imageUrl', 'a photo of the document'),
	allowInternalAddressesField,
	...outputProperties(
		'The ten most useful fields: names, birthday, document and personal numbers, expiry, issuing state, nationality, sex, MRZ',
	),
];

type Answer = IDataObject & {
	person?: IDataObject;
	mrzData?: IDataObject;
	visualData?: IDataObject;
};

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
		documentExpires: first(
			'document_expires_time',
			'Date_of_Expiry_ISO',
			'document_expires',
			'Date_of_Expiry_en_US',
		),
		issuingState: first('issuing_state', 'Issuing_State_Code_en_US'),
		nationality: first('nationality', 'citizenship', 'Nationality_Code_en_US'),
		sex: first('sex', 'Sex_en_US'),
		mrz: first('mrz'),
	};
}

/** The operation module of one document reading. */
export function documentReadingOperation(
	option: OperationOption,
	endpoint: DocumentReadEndpoint,
): OperationModule {
	return {
		option,
		endpoint,
		properties,
		async execute(itemIndex) {
			const image = await inputImage(this, itemIndex, {
				binaryParameter: 'binaryPropertyName',
				urlParameter: 'imageUrl',
				urlDisplayName: 'Image URL',
				uploadField: 'image',
			});
			const answer = await callEndpoint<unknown>(this, endpoint, { files: [image], itemIndex });
			if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
				// "Either a string with an error code or an object" (docs/identomat-api.md, erratum 10):
				// the transport recognises UPPER_CASE codes; anything else that is not an object is a code too.
				throw errorFromIdentomat(errorPlace(this, itemIndex), { code: String(answer) }, 200);
			}
			const json = shapeOutput(this, itemIndex, answer as IDataObject, () =>
				simplifyDocument(answer as Answer),
			);
			return [{ json }];
		},
	};
}
