import { defineResource } from '../shared/resource';
import * as create from './create.operation';
import * as getMany from './getMany.operation';

export const user = defineResource('User', 'user', [create, getMany]);
