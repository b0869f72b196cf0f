/**
 * A run of every operation that succeeds on the sandbox: its parameters beyond the defaults, and
 * its input items. The output schemas are derived from these runs; the endpoint tests run each
 * operation through faults with them.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { Identomat } from '../../nodes/Identomat/Identomat.node';
import { operationsOf } from './description';
import { itemWithFile } from '../../harness/runner';
import type { Sandbox } from './sandbox';

export interface Sample {
	parameters?: (s: Sandbox) => IDataObject;
	items?: () => Promise<INodeExecutionData[]>;
}

const GROUP_ID = '650976e8dc32104b8bb1757e';
const locator = (value: string) => ({ __rl: true, mode: 'id', value });
const finishedSession = (s: Sandbox) => s.createCompletedSession({ activeVideoCall: true }) as string;

/** Every resource/operation the node offers, from its description, as `resource/operation`. */
export const operationKeys = () =>
	operationsOf(new Identomat().description).map(({ resource, operation }) => `${resource.value}/${operation.value}`);

/** The sample runs on the sandbox `sb`, by `resource/operation`. */
export function samplesFor(sb: Sandbox): Record<string, Sample> {
	/** An input item carrying sandbox images, as an upstream download would. */
	const withImages = (files: Record<string, string>) => async () => [
		await itemWithFile(
			{},
			Object.fromEntries(
				Object.entries(files).map(([key, name]) => [key, { data: sb.fixtures[name] as Buffer, fileName: name, mimeType: 'image/jpeg' }]),
			),
		),
	];
	const inSession = (extra: IDataObject = {}): Sample => ({ parameters: (s) => ({ sessionId: finishedSession(s), ...extra }) });
	const readDocument = (image: string): Sample => ({ items: withImages({ data: image }) });
	return {
		'blacklist/add': { parameters: () => ({ reason: 'Forged passport', firstName: 'Jane', lastName: 'Roe', documentNumber: 'P1234567' }) },
		'blacklist/getMany': { parameters: () => ({ returnAll: true }) },
		'blacklist/remove': { parameters: () => ({ recordId: '682b09e4400b3a00067ebcf7' }) },
		'configuration/get': { parameters: () => ({ sessionConfigId: '62412c096c4b39ba845d4bf2' }) },
		'document/readIdCardFront': readDocument('card-front.jpg'),
		'document/readIdCardBack': readDocument('card-back.jpg'),
		'document/readLicenseFront': readDocument('card-front.jpg'),
		'document/readLicenseBack': readDocument('card-back.jpg'),
		'document/readPassport': readDocument('passport.jpg'),
		'document/readResidenceFront': readDocument('card-front.jpg'),
		'document/readResidenceBack': readDocument('card-back.jpg'),
		'face/compare': { items: withImages({ data: 'card-front.jpg', data_1: 'face.jpg' }) },
		'group/create': { parameters: () => ({ name: 'Fraud Team' }) },
		'group/delete': { parameters: () => ({ groupId: locator(GROUP_ID) }) },
		'group/getMany': { parameters: () => ({ returnAll: true }) },
		'group/update': { parameters: () => ({ groupId: locator(GROUP_ID), updateFields: { name: 'Compliance Team' } }) },
		'screening/addToMonitoring': { parameters: () => ({ fullName: 'Jane Roe' }) },
		'screening/getManyMonitored': { parameters: () => ({ returnAll: true }) },
		'screening/getPerson': { parameters: () => ({ personId: '67137933a2176f0797f1e658' }) },
		'screening/removeFromMonitoring': { parameters: () => ({ monitoringId: '64ad3b14090678e34512eab8' }) },
		'screening/search': { parameters: () => ({ fullName: 'John Doe Smith', scoreThreshold: 80, returnAll: false, limit: 5 }) },
		'session/create': {},
		'session/delete': inSession(),
		'session/exportPdf': inSession(),
		'session/getActivities': inSession(),
		'session/getResult': inSession(),
		'session/getStatistics': inSession(),
		'media/getCardBack': inSession(),
		'media/getDocumentFacePhoto': inSession(),
		'media/getCardFront': inSession(),
		'media/getFace': inSession(),
		'media/getFaceVideo': inSession(),
		'media/getPassport': inSession(),
		'media/getGeneralDocument': inSession({ typeId: 'utility-bill' }),
		'media/getQuestionFile': inSession({ stepKey: 'user-questionnaire-1', questionKey: 'question-1' }),
		'media/getFaceDocument': inSession(),
		'media/getVisualMarkers': inSession(),
		'user/create': { parameters: () => ({ email: 'new.operator@example.com', password: 'Str0ng-Passw0rd!' }) },
		'user/getMany': { parameters: () => ({ returnAll: true }) },
		'videoCall/end': inSession(),
		'videoCall/getRecordings': inSession(),
		'videoCall/getShots': inSession(),
	};
}
