import { defineResource } from '../shared/resource';
import * as compare from './compare.operation';

export const face = defineResource('Face', 'face', [compare]);
