import { defineResource } from '../shared/resource';
import * as getCardFront from './getCardFront.operation';
import * as getCardBack from './getCardBack.operation';
import * as getDocumentFacePhoto from './getDocumentFacePhoto.operation';
import * as getFace from './getFace.operation';
import * as getFaceDocument from './getFaceDocument.operation';
import * as getFaceVideo from './getFaceVideo.operation';
import * as getGeneralDocument from './getGeneralDocument.operation';
import * as getPassport from './getPassport.operation';
import * as getQuestionFile from './getQuestionFile.operation';
import * as getVisualMarkers from './getVisualMarkers.operation';
import { explainingUnfinishedSessions } from './unfinished';

export const media = defineResource('Session Media', 'media', [
	getCardFront,
	getCardBack,
	getDocumentFacePhoto,
	getFace,
	getFaceDocument,
	getFaceVideo,
	getGeneralDocument,
	getPassport,
	getQuestionFile,
	getVisualMarkers,
].map(explainingUnfinishedSessions));
