import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../common';

// Placeholder until this resource's operations land.
export const operations: Record<string, OperationModule> = {};

export const description: INodeProperties[] = [];
