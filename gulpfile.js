/**
 * Build steps beyond `n8n-node build` (which compiles TypeScript and copies icons):
 * - copies each node's codex file (`*.node.json`: categories, documentation links) and its output
 *   schemas (`__schema__/`, what the editor shows before a node has run) into dist/;
 * - regenerates README.md's operations table from the built node descriptions, so the docs list
 *   exactly what the node offers. In CI (CI=true) it only checks, and fails when the committed
 *   README is behind.
 */
const { src, dest, series } = require('gulp');
const fs = require('node:fs');
const path = require('node:path');

const README = path.join(__dirname, 'README.md');
const START = '<!-- operations:start -->';
const END = '<!-- operations:end -->';

function copyCodexFiles() {
	return src(['nodes/**/*.node.json', 'nodes/**/__schema__/**/*.json'], { base: '.' }).pipe(dest('dist'));
}

/** The operations table, one row per operation, from the compiled node description. */
function operationsTable() {
	const { Identomat } = require('./dist/nodes/Identomat/Identomat.node.js');
	const { properties } = new Identomat().description;
	const resources = properties.find((p) => p.name === 'resource').options;
	const rows = ['| Resource | Operation | What it does |', '|---|---|---|'];
	for (const resource of resources) {
		const selector = properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource.value),
		);
		for (const operation of selector?.options ?? []) {
			rows.push(`| ${resource.name} | ${operation.name} | ${operation.description ?? operation.action} |`);
		}
	}
	return rows.join('\n');
}

function renderReadme(text) {
	const start = text.indexOf(START);
	const end = text.indexOf(END);
	if (start === -1 || end === -1) throw new Error(`README.md lacks the ${START} … ${END} markers`);
	return `${text.slice(0, start + START.length)}\n${operationsTable()}\n${text.slice(end)}`;
}

async function readmeOperations() {
	const current = fs.readFileSync(README, 'utf8');
	const next = renderReadme(current);
	if (next !== current) fs.writeFileSync(README, next);
}

/** For the test command: fails when README.md does not list the node's current operations. */
async function checkReadme() {
	const current = fs.readFileSync(README, 'utf8');
	if (renderReadme(current) !== current) {
		throw new Error('README.md lists other operations than the node has: run `npm run build` and commit README.md');
	}
}

// In CI the README is checked, not rewritten, so a stale operations table fails the build.
exports.build = series(copyCodexFiles, process.env.CI ? checkReadme : readmeOperations);
exports.checkReadme = checkReadme;
