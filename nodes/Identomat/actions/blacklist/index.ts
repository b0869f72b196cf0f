import { defineResource } from '../shared/resource';
import * as add from './add.operation';
import * as getMany from './getMany.operation';
import * as remove from './remove.operation';

export const blacklist = defineResource('Blacklist', 'blacklist', [add, getMany, remove]);
