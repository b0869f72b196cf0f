import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { callIdentomat, resultOf } from '../Identomat/transport';
import { unreadableAnswerError } from '../Identomat/transport/errors';
import {
	type AddedState,
	DEFAULT_ANCHORS,
	type IdRecord,
	type MonitoringRecord,
	newestAdded,
	newestChanged,
	type OutOfTime,
	type Page,
	pollAdded,
	pollMonitoringUpdated,
	type UpdatedState,
} from './poll';

type TriggerEvent =
	| 'screeningMonitoringUpdated'
	| 'personAddedToMonitoring'
	| 'blacklistRecordAdded';

const ACTIONS: Record<TriggerEvent, string> = {
	screeningMonitoringUpdated: 'Identomat Trigger → Screening Monitoring Updated',
	personAddedToMonitoring: 'Identomat Trigger → Person Added to Monitoring',
	blacklistRecordAdded: 'Identomat Trigger → Blacklist Record Added',
};

/** Changes stamped up to this long before the newest one seen are asked for again (late stamps, clock steps). */
export const OVERLAP_MS = 60_000;
const MONITORING_PAGE = 1000;
const BLACKLIST_PAGE = 100;
const MATCHES_LIMIT = 100;

/** Polls of one trigger node never overlap in this process: an overlapping tick skips. */
const pollsInFlight = new Set<string>();

interface StoredState extends IDataObject {
	event?: string;
	state?: IDataObject;
}

function pageOf<T>(ctx: IPollFunctions, event: TriggerEvent, answer: unknown): Page<T> {
	const result = resultOf<{ total?: unknown; data?: unknown }>(answer);
	if (typeof result !== 'object' || result === null || !Array.isArray(result.data)) {
		throw unreadableAnswerError(
			{ node: ctx.getNode(), action: ACTIONS[event] },
			'the list of records is missing',
		);
	}
	const total = Number(result.total);
	return { total: Number.isFinite(total) ? total : result.data.length, data: result.data as T[] };
}

function monitoringReader(ctx: IPollFunctions, event: TriggerEvent) {
	return async (date: string | undefined, start: number, limit: number) => {
		const fields: IDataObject = { start, limit };
		if (date !== undefined) fields.date = date;
		const answer = await callIdentomat(ctx, {
			host: 'api',
			path: 'list-screening-monitoring-records',
			fields,
			readOnly: true,
			action: ACTIONS[event],
		});
		return pageOf<MonitoringRecord>(ctx, event, answer);
	};
}

function blacklistReader(ctx: IPollFunctions, event: TriggerEvent) {
	return async (offset: number, limit: number) => {
		// Paging goes inside `query` (docs/identomat-api.md, erratum 5).
		const answer = await callIdentomat(ctx, {
			host: 'api',
			path: 'list-blacklist-records',
			fields: { query: { offset, limit } },
			readOnly: true,
			action: ACTIONS[event],
		});
		return pageOf<IdRecord>(ctx, event, answer);
	};
}

/** With "Include Screening Matches": what attaches a record's current matches to it (one request). */
function matchesLookup(
	ctx: IPollFunctions,
): ((record: MonitoringRecord) => Promise<MonitoringRecord>) | undefined {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	if (!options.includeScreeningMatches) return undefined;
	const scoreThreshold = Number(options.minimumScore ?? 80);
	return async (record) => {
		const answer = await callIdentomat(ctx, {
			host: 'api',
			path: 'search-screening-person',
			fields: {
				query: { fullName: record.fullName ?? '', scoreThreshold },
				offset: 0,
				limit: MATCHES_LIMIT,
			},
			readOnly: true,
			action: ACTIONS.screeningMonitoringUpdated,
		});
		const matches = resultOf<unknown>(answer);
		return {
			...record,
			screeningMatches: (Array.isArray(matches) ? matches : []) as IDataObject[],
		};
	};
}

export class IdentomatTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Identomat Trigger',
		name: 'identomatTrigger',
		icon: { light: 'file:../../icons/identomat.svg', dark: 'file:../../icons/identomat.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ {"blacklistRecordAdded": "Blacklist Record Added", "personAddedToMonitoring": "Person Added to Monitoring", "screeningMonitoringUpdated": "Screening Monitoring Updated"}[$parameter["event"]] }}',
		// n8n's nodes panel shows one "Identomat" entry for this trigger and the action node, with this
		// trigger's description (it merges a node "xTrigger" into "x"): so it is the package's text.
		description:
			'Verify identities with Identomat: KYC sessions, documents, liveness, face match, AML screening and monitoring, blacklists and video KYC',
		defaults: { name: 'Identomat Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'identomatApi', required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				required: true,
				default: 'screeningMonitoringUpdated',
				options: [
					{
						name: 'Blacklist Record Added',
						value: 'blacklistRecordAdded',
						description: 'A record was added to the blacklist',
					},
					{
						name: 'Person Added to Monitoring',
						value: 'personAddedToMonitoring',
						description: 'A screening query was put under monitoring',
					},
					{
						name: 'Screening Monitoring Updated',
						value: 'screeningMonitoringUpdated',
						description:
							'The screening results of a monitored person changed (its last update date moved)',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: { event: ['screeningMonitoringUpdated'] } },
				options: [
					{
						displayName: 'Include Screening Matches',
						name: 'includeScreeningMatches',
						type: 'boolean',
						default: false,
						description:
							"Whether to attach the person's current screening matches (a screening search by the record's full name) to each item, under screeningMatches. Costs one more request per changed record.",
					},
					{
						displayName: 'Minimum Match Score',
						name: 'minimumScore',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 100 },
						default: 80,
						description:
							'With Include Screening Matches: the lowest score (0–100) a match needs to be attached',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event') as TriggerEvent;
		if (!(event in ACTIONS)) return null;

		if (this.getMode() === 'manual') {
			const newest = await newestOf(this, event);
			if (!newest) return null;
			const withMatches = event === 'screeningMonitoringUpdated' ? matchesLookup(this) : undefined;
			const item = withMatches ? await withMatches(newest as MonitoringRecord) : newest;
			return [this.helpers.returnJsonArray([item as IDataObject])];
		}

		const key = `${this.getWorkflow().id ?? ''}:${this.getNode().id}`;
		if (pollsInFlight.has(key)) return null;
		pollsInFlight.add(key);
		try {
			const stored = this.getWorkflowStaticData('node') as StoredState;
			const previous = stored.event === event ? stored.state : undefined;
			const outOfTime = pollBudget(this);
			let emitted: IDataObject[];
			let next: IDataObject;
			if (event === 'screeningMonitoringUpdated') {
				const read = monitoringReader(this, event);
				const result = await pollMonitoringUpdated(
					async (date, start, limit) => await read(date, start, limit),
					previous as UpdatedState | undefined,
					{
						overlapMs: OVERLAP_MS,
						pageSize: MONITORING_PAGE,
						now: new Date(),
						outOfTime,
						prepare: matchesLookup(this),
					},
				);
				emitted = result.emit as IDataObject[];
				next = result.state as unknown as IDataObject;
			} else {
				const read =
					event === 'blacklistRecordAdded'
						? blacklistReader(this, event)
						: async (start: number, limit: number) =>
								await monitoringReader(this, event)(undefined, start, limit);
				const result = await pollAdded<IdRecord>(read, previous as AddedState | undefined, {
					pageSize: event === 'blacklistRecordAdded' ? BLACKLIST_PAGE : MONITORING_PAGE,
					anchors: DEFAULT_ANCHORS,
					outOfTime,
				});
				emitted = result.emit as IDataObject[];
				next = result.state as unknown as IDataObject;
			}
			// Only now, after every request succeeded, does the state move.
			stored.event = event;
			stored.state = next;
			return emitted.length ? [this.helpers.returnJsonArray(emitted)] : null;
		} finally {
			pollsInFlight.delete(key);
		}
	}
}

/**
 * n8n (2.x) gives each poll a time budget and abandons a poll that overruns it. A long backlog is
 * read for half the budget (a page request may take long too); the rest is left to the next poll.
 */
function pollBudget(ctx: IPollFunctions): OutOfTime | undefined {
	const budgetMs = typeof ctx.getPollBudgetMs === 'function' ? ctx.getPollBudgetMs() : undefined;
	if (!budgetMs || !Number.isFinite(budgetMs) || budgetMs <= 0) return undefined;
	const started = Date.now();
	return () => Date.now() - started > budgetMs / 2;
}

async function newestOf(
	ctx: IPollFunctions,
	event: TriggerEvent,
): Promise<IDataObject | undefined> {
	if (event === 'screeningMonitoringUpdated') {
		const read = monitoringReader(ctx, event);
		const newest = await newestChanged(
			async (date, start, limit) => await read(date, start, limit),
			MONITORING_PAGE,
		);
		if (newest) return newest as IDataObject;
		// Nothing has changed yet: show the newest monitored person so fields can be mapped.
		return (await newestAdded((start, limit) => read(undefined, start, limit))) as
			| IDataObject
			| undefined;
	}
	const read =
		event === 'blacklistRecordAdded'
			? blacklistReader(ctx, event)
			: (start: number, limit: number) => monitoringReader(ctx, event)(undefined, start, limit);
	return (await newestAdded(read)) as IDataObject | undefined;
}
