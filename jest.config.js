/** Unit and in-process tests: the real node classes through n8n-core against the sandbox on 127.0.0.1. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts', '**/*.test.js'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { diagnostics: false, astTransformers: { before: ['<rootDir>/scripts/jest-import-meta.js'] } }],
	},
	testTimeout: 60_000,
	// Most suites wait on sockets and timeouts rather than compute: four at a time even on two cores
	// (jest's default there is one), which takes the run from over three minutes to about one.
	maxWorkers: 4,
};
