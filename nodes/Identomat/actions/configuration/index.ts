import { defineResource } from '../shared/resource';
import * as get from './get.operation';

export const configuration = defineResource('Configuration', 'configuration', [get]);
