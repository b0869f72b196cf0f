import { defineResource } from '../shared/resource';
import * as create from './create.operation';
import * as deleteOperation from './delete.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export const group = defineResource('Group', 'group', [create, deleteOperation, getMany, update]);
