import { defineResource } from '../shared/resource';
import * as search from './search.operation';
import * as addToMonitoring from './addToMonitoring.operation';
import * as getManyMonitored from './getManyMonitored.operation';
import * as getPerson from './getPerson.operation';
import * as removeFromMonitoring from './removeFromMonitoring.operation';

export const screening = defineResource('Screening', 'screening', [
	search,
	addToMonitoring,
	getManyMonitored,
	getPerson,
	removeFromMonitoring,
]);
