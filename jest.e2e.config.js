/** End-to-end tests: a real n8n (installed in .cache/ by scripts/ensure-n8n.sh) with the packed package. Run by scripts/e2e.sh under Node 24. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.test.ts', '**/*.test.js'],
	testPathIgnorePatterns: ['/node_modules/', '/fixtures/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { diagnostics: false, astTransformers: { before: ['<rootDir>/scripts/jest-import-meta.js'] } }],
	},
	testTimeout: 600_000,
	maxWorkers: 1,
	// n8n processes left by a failing test are killed on exit (harness/n8n.ts) instead of keeping jest alive.
	forceExit: true,
};
