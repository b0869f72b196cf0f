import { defineResource } from '../shared/resource';
import * as getShots from './getShots.operation';
import * as end from './end.operation';
import * as getRecordings from './getRecordings.operation';

export const videoCall = defineResource('Video Call', 'videoCall', [getShots, end, getRecordings]);
