/**
 * Time to load the package's modules from dist in a fresh process, as n8n does when it starts:
 * n8n-workflow first (n8n has it loaded anyway), then our credential and three nodes, then one
 * instance of each (the node descriptions are built in the constructors).
 */
import path from 'node:path';

const distDir = process.argv[2];
const t0 = process.hrtime.bigint();
require('n8n-workflow');
const t1 = process.hrtime.bigint();
const files = [
	'credentials/IdentomatApi.credentials.js',
	'nodes/Identomat/Identomat.node.js',
	'nodes/IdentomatTrigger/IdentomatTrigger.node.js',
	'nodes/IdentomatCallbackTrigger/IdentomatCallbackTrigger.node.js',
];
const loaded = files.map((m) => require(path.join(distDir, m)) as Record<string, new () => unknown>);
const t2 = process.hrtime.bigint();
// each file exports its class under the file's name: Identomat, IdentomatApi, …
loaded.forEach((moduleExports, i) => new moduleExports[path.basename(files[i]).split('.')[0]]());
const t3 = process.hrtime.bigint();
process.stdout.write(
	`@@bench-result ${JSON.stringify({
		result: { n8nWorkflowMs: Number(t1 - t0) / 1e6, requireMs: Number(t2 - t1) / 1e6, instantiateMs: Number(t3 - t2) / 1e6 },
	})}\n`,
);
