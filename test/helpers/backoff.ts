/**
 * n8n-workflow with the pauses between tries (250 ms doubling, or Retry-After) cut to 5 ms, for
 * suites that count tries rather than time them:
 *   jest.mock('n8n-workflow', () => jest.requireActual('./helpers/backoff').withShortBackoff());
 * Only a pause that cannot be cancelled is cut: the waits given an abort signal are the timeouts
 * under test (a download's wait for its next piece, an image fetch's clock) and keep their length.
 */
export function withShortBackoff() {
	const actual = jest.requireActual('n8n-workflow');
	return {
		...actual,
		sleep: async (ms: number, signal?: AbortSignal) => await actual.sleep(signal ? ms : Math.min(ms, 5), signal),
	};
}
