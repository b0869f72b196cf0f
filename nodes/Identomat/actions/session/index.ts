import { defineResource } from '../shared/resource';
import * as create from './create.operation';
import * as deleteOperation from './delete.operation';
import * as exportPdf from './exportPdf.operation';
import * as getActivities from './getActivities.operation';
import * as getResult from './getResult.operation';
import * as getStatistics from './getStatistics.operation';

export const session = defineResource('Session', 'session', [
	create,
	deleteOperation,
	exportPdf,
	getActivities,
	getResult,
	getStatistics,
]);
