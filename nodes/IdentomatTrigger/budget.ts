/**
 * The time budget of one poll. n8n 2.x's durable scheduler (N8N_SCHEDULER_ENABLED with
 * N8N_SCHEDULER_POLL_TRIGGERS_ENABLED) gives each poll `getPollBudgetMs()` (its poll timeout,
 * N8N_SCHEDULER_POLL_TIMEOUT, 45 s by default, less a margin) and abandons a poll that overruns the
 * timeout: its items are dropped, its state is not saved, and the trigger is backed off. Without
 * that scheduler n8n lets a poll run on; its context still answers a budget (5 minutes).
 *
 * The trigger starts no new work after half the budget, which leaves the other half for a last
 * slow request. Work not done is left to the next poll (poll.ts says how).
 */

/** Whether the poll should stop starting new work. */
export type OutOfTime = () => boolean;

export function pollBudget(
	budgetMs: number | undefined,
	clock: () => number = Date.now,
): OutOfTime | undefined {
	if (budgetMs === undefined || !Number.isFinite(budgetMs) || budgetMs <= 0) return undefined;
	const started = clock();
	return () => clock() - started > budgetMs / 2;
}
