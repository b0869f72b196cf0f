import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import {
	blacklistRecords,
	type MonitoringRecord,
	monitoringRecords,
	screeningMatches,
} from '../shared/api/lists';
import { listKeptShiftingMessage } from '../shared/api/pagination';
import { pollBudget } from './budget';
import {
	type AddedState,
	DEFAULT_LATE_MS,
	type IdRecord,
	newestAdded,
	newestChanged,
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

const MONITORING_PAGE = 1000;
const BLACKLIST_PAGE = 100;
const MATCHES_LIMIT = 100;
/** A day: beyond that a window's re-reads cost more than any batch rescreen should take. */
const MAX_LATE_MINUTES = 1440;

/** Polls of one trigger node never overlap in this process: an overlapping tick skips. */
const pollsInFlight = new Set<string>();

interface StoredState extends IDataObject {
	event?: string;
	state?: IDataObject;
}

/** The list an "added" event watches, read page by page. */
function addedList(ctx: IPollFunctions, event: TriggerEvent) {
	const call = { action: ACTIONS[event] };
	return event === 'blacklistRecordAdded'
		? blacklistRecords(ctx, call)
		: monitoringRecords(ctx, call);
}

/**
 * With "Include Screening Matches": what attaches a record's current matches to it (one request).
 * A lookup that fails or answers something unreadable fails the whole poll (nothing is emitted or
 * saved, the next poll tries again): an empty list must only ever mean "no matches".
 */
function matchesLookup(
	ctx: IPollFunctions,
): ((record: MonitoringRecord) => Promise<MonitoringRecord>) | undefined {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	if (!options.includeScreeningMatches) return undefined;
	const scoreThreshold = Number(options.minimumScore ?? 80);
	return async (record) => {
		const page = await screeningMatches(ctx, {
			action: ACTIONS.screeningMonitoringUpdated,
			query: { fullName: String(record.fullName ?? ''), scoreThreshold },
		})(0, MATCHES_LIMIT);
		return { ...record, screeningMatches: page.records };
	};
}

/** "Late Changes Window (Minutes)" in milliseconds, refused with a message when it is no number of minutes. */
function lateMsOf(ctx: IPollFunctions): number {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	if (options.lateChangeMinutes === undefined) return DEFAULT_LATE_MS;
	const minutes = Number(options.lateChangeMinutes);
	if (!Number.isFinite(minutes) || minutes < 1 || minutes > MAX_LATE_MINUTES) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${ACTIONS.screeningMonitoringUpdated}: "Late Changes Window (Minutes)" must be a number from 1 to ${MAX_LATE_MINUTES}`,
			{
				description: `It is "${String(options.lateChangeMinutes)}". Enter how many minutes after its time stamp a change may still appear in Identomat's list (15 unless your Identomat's batch rescreens take longer).`,
			},
		);
	}
	return minutes * 60_000;
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
						displayName: 'Late Changes Window (Minutes)',
						name: 'lateChangeMinutes',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: MAX_LATE_MINUTES },
						default: 15,
						description:
							"How long after its time stamp a change may appear in Identomat's list and still come out. A batch rescreen can make its changes visible minutes after their stamp: raise this if yours take longer. Each poll reads this many minutes of changes again, so after a large batch a longer window costs more requests.",
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
			const outOfTime = pollBudget(
				typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : undefined,
			);
			const keptShifting = () => listKeptShiftingMessage(this, undefined, ACTIONS[event]);
			let result: { emit: object[]; state: object };
			if (event === 'screeningMonitoringUpdated') {
				result = await pollMonitoringUpdated(
					(date) => monitoringRecords(this, { action: ACTIONS[event], date }),
					previous as UpdatedState | undefined,
					{
						pageSize: MONITORING_PAGE,
						lateMs: lateMsOf(this),
						now: new Date(),
						outOfTime,
						prepare: matchesLookup(this),
						keptShifting,
					},
				);
			} else {
				result = await pollAdded<IdRecord>(
					addedList(this, event),
					previous as AddedState | undefined,
					{
						pageSize: event === 'blacklistRecordAdded' ? BLACKLIST_PAGE : MONITORING_PAGE,
						outOfTime,
						keptShifting,
						onLost: () =>
							this.logger.warn(
								`${ACTIONS[event]}: every record remembered from the last poll was removed, so additions since then cannot be told apart; watching again from the end of the list`,
							),
					},
				);
			}
			// Only now, after every request succeeded, does the state move (in the object n8n handed over).
			stored.event = event;
			stored.state = result.state as IDataObject;
			return result.emit.length
				? [this.helpers.returnJsonArray(result.emit as IDataObject[])]
				: null;
		} finally {
			pollsInFlight.delete(key);
		}
	}
}

async function newestOf(
	ctx: IPollFunctions,
	event: TriggerEvent,
): Promise<IDataObject | undefined> {
	if (event === 'screeningMonitoringUpdated') {
		const action = ACTIONS[event];
		const newest = await newestChanged(
			(date) => monitoringRecords(ctx, { action, date }),
			MONITORING_PAGE,
		);
		if (newest) return newest as IDataObject;
		// Nothing has changed yet: show the newest monitored person so fields can be mapped.
		return (await newestAdded(monitoringRecords(ctx, { action }))) as IDataObject | undefined;
	}
	return (await newestAdded(addedList(ctx, event))) as IDataObject | undefined;
}
