import { defineResource } from '../shared/resource';
import * as readIdCardFront from './readIdCardFront.operation';
import * as readIdCardBack from './readIdCardBack.operation';
import * as readLicenseFront from './readLicenseFront.operation';
import * as readLicenseBack from './readLicenseBack.operation';
import * as readResidenceFront from './readResidenceFront.operation';
import * as readResidenceBack from './readResidenceBack.operation';
import * as readPassport from './readPassport.operation';

export const document = defineResource('Document', 'document', [
	readIdCardFront,
	readIdCardBack,
	readLicenseFront,
	readLicenseBack,
	readResidenceFront,
	readResidenceBack,
	readPassport,
]);
