/**
 * Build steps beyond `n8n-node build` (which compiles TypeScript and copies icons):
 * - copies each node's codex file (`*.node.json`: categories, documentation links) and its output
 *   schemas (`__schema__/`, what the editor shows before a node has run) into dist/;
 * - regenerates README.md's operations table (from the built node descriptions and the endpoint
 *   declarations) and docs/identomat-api.md's endpoint table (from the declarations), so the docs
 *   list exactly what the node offers and what each call does. In CI (CI=true) it only checks,
 *   and fails when a committed table is behind.
 */
const { src, dest, series } = require('gulp');
const fs = require('node:fs');
const path = require('node:path');

const README = path.join(__dirname, 'README.md');

function copyCodexFiles() {
	return src(['nodes/**/*.node.json', 'nodes/**/__schema__/**/*.json'], { base: '.' }).pipe(dest('dist'));
}

/** What an endpoint does to data, as the README says it (endpoints.ts: `effect` and `retry`). */
const EFFECT = {
	reads: 'reads; tried again after a failure on the way',
	changes: 'changes data; sent once',
	permanent: '**cannot be undone**; sent once',
};

/**
 * The operations table, one row per operation, from the compiled node description and the
 * endpoint declarations (nodes/shared/api/endpoints.ts).
 */
function operationsTable() {
	const { Identomat } = require('./dist/nodes/Identomat/Identomat.node.js');
	const { resources: modules } = require('./dist/nodes/Identomat/actions/resources.js');
	const { ENDPOINTS } = require('./dist/nodes/shared/api/endpoints.js');
	const { properties } = new Identomat().description;
	const resources = properties.find((p) => p.name === 'resource').options;
	const rows = [
		'| Resource | Operation | What it does | Identomat endpoint | Effect |',
		'|---|---|---|---|---|',
	];
	for (const resource of resources) {
		const selector = properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource.value),
		);
		for (const operation of selector?.options ?? []) {
			const endpoint = ENDPOINTS[modules[resource.value].operations[operation.value].endpoint];
			rows.push(
				`| ${resource.name} | ${operation.name} | ${operation.description ?? operation.action} | \`${endpoint.path}\` (${endpoint.host} host) | ${EFFECT[endpoint.effect]} |`,
			);
		}
	}
	return rows.join('\n');
}

/** What each answer kind is, in the docs' words (endpoints.ts: `returns`). */
const RETURNS = {
	json: 'JSON',
	list: 'a whole list',
	page: 'a page of a list',
	file: 'a file',
	largeFile: 'a file, streamed',
	archive: 'a tar archive, streamed',
	dataUri: 'JSON holding a data-URI file',
	dataUris: 'JSON holding data-URI files',
};

/** docs/identomat-api.md's endpoint table: every declaration, as data. */
function endpointsTable() {
	const { ENDPOINTS } = require('./dist/nodes/shared/api/endpoints.js');
	const rows = [
		'| Name in the code | Host | Path | Session ID | Body | Sent again after a failure | Effect | Answer |',
		'|---|---|---|---|---|---|---|---|',
	];
	for (const [name, e] of Object.entries(ENDPOINTS)) {
		const cells = [
			`\`${name}\``,
			e.host,
			`\`${e.path}\``,
			e.session ? 'yes' : 'no',
			e.body,
			e.retry === 'safe' ? 'yes' : 'never',
			e.effect,
			RETURNS[e.returns],
		];
		rows.push(`| ${cells.join(' | ')} |`);
	}
	return rows.join('\n');
}

/** The generated parts of the docs: each file, its markers' name, and what goes between them. */
const GENERATED = [
	{ file: README, marker: 'operations', render: operationsTable },
	{ file: path.join(__dirname, 'docs/identomat-api.md'), marker: 'endpoints', render: endpointsTable },
];

function rendered(text, { file, marker, render }) {
	const start = `<!-- ${marker}:start -->`;
	const end = `<!-- ${marker}:end -->`;
	const from = text.indexOf(start);
	const to = text.indexOf(end);
	if (from === -1 || to === -1) throw new Error(`${path.basename(file)} lacks the ${start} … ${end} markers`);
	return `${text.slice(0, from + start.length)}\n${render()}\n${text.slice(to)}`;
}

async function writeGenerated() {
	for (const part of GENERATED) {
		const current = fs.readFileSync(part.file, 'utf8');
		const next = rendered(current, part);
		if (next !== current) fs.writeFileSync(part.file, next);
	}
}

/** For the test command: fails when a generated table is behind the node. */
async function checkGenerated() {
	for (const part of GENERATED) {
		const current = fs.readFileSync(part.file, 'utf8');
		if (rendered(current, part) !== current) {
			throw new Error(`${path.relative(__dirname, part.file)} is behind the node (its ${part.marker} table): run \`npm run build\` and commit it`);
		}
	}
}

// In CI the docs are checked, not rewritten, so a stale table fails the build.
exports.build = series(copyCodexFiles, process.env.CI ? checkGenerated : writeGenerated);
exports.checkGenerated = checkGenerated;
