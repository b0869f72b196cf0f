/**
 * Image processing: document reading (card/front/ ... passport/, widget host, file field `image`)
 * and compare-faces (API host, multipart, files `face1` and `face2`).
 */
import crypto from 'node:crypto';
import * as examples from './examples.ts';
import * as media from './media.ts';
import type { Route, RouteContext } from './types.ts';
import { json, argumentError, bareError, requestId } from './util.ts';

/** Images smaller than this hold a face too small to compare (FACE_FAR_AWAY). */
const SMALL_FACE_BYTES = 2048;
/** A file containing this text is a photo with no document in it. */
const NO_DOCUMENT_MARK = 'SANDBOX-NO-DOCUMENT';

function file(ctx: RouteContext, field: string) {
	return ctx.files.find((f) => f.field === field);
}

function readingRoute(path: keyof typeof examples.documentReading): Route {
	const example = examples.documentReading[path];
	return {
		host: 'widget',
		path,
		handler(ctx: RouteContext) {
			const image = file(ctx, 'image');
			if (!image) return argumentError('wrong-parameters');
			if (!media.isImage(image.data)) return bareError('INVALID_IMAGE');
			if (image.data.includes(NO_DOCUMENT_MARK)) return bareError('DOCUMENT_NOT_FOUND');
			const { person, ...fields } = structuredClone(example);
			return json({ ...fields, requestId: requestId(), person });
		},
	};
}

const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

/**
 * Who the sample images show, by content hash: the sandbox's stand-in for face recognition.
 * John Doe's ID card, passport, document photo, selfie and selfie with document show one person;
 * face-other.jpg shows someone else.
 */
const PEOPLE = {
	'John Doe': ['card-front.jpg', 'passport.jpg', 'document-face.jpg', 'face.jpg', 'face-document.jpg'],
	'Another Person': ['face-other.jpg'],
};
/** image hash → person */
const PERSON_BY_HASH: Map<string, string> = new Map(
	Object.entries(PEOPLE).flatMap(([person, files]) => files.map((name) => [sha256(media.fixtures[name]), person])),
);

/**
 * Similarity of two different images: in [0.9, 0.99) for two images of one known person, in
 * [0.2, 0.4) for two known different people, and in [0.5, 0.99) for any other image (the sandbox
 * cannot tell who it shows). Deterministic, whatever the order.
 */
function similarity(a: Buffer, b: Buffer) {
	const [x, y] = [sha256(a), sha256(b)].sort();
	const fraction = crypto.createHash('sha256').update(x + y).digest().readUInt32BE(0) / 4294967296;
	const [p, q] = [PERSON_BY_HASH.get(x), PERSON_BY_HASH.get(y)];
	if (p && q) return p === q ? 0.9 + fraction * 0.09 : 0.2 + fraction * 0.2;
	return 0.5 + fraction * 0.49;
}

const routes: Route[] = [
	...(Object.keys(examples.documentReading) as Array<keyof typeof examples.documentReading>).map(readingRoute),
	{
		host: 'api',
		path: 'compare-faces',
		multipart: true,
		handler(ctx: RouteContext) {
			const f1 = file(ctx, 'face1');
			const f2 = file(ctx, 'face2');
			if (!f1 || !f2) return argumentError('wrong-parameters');
			if (!media.isImage(f1.data) || !media.isImage(f2.data)) return bareError('INVALID_IMAGE');
			const face1Statuses = f1.data.length < SMALL_FACE_BYTES ? ['FACE_FAR_AWAY'] : [];
			const face2Statuses = f2.data.length < SMALL_FACE_BYTES ? ['FACE_FAR_AWAY'] : [];
			let value = null;
			if (!face1Statuses.length && !face2Statuses.length) value = f1.data.equals(f2.data) ? 1 : similarity(f1.data, f2.data);
			return json({ result: { similarity: value, face1Statuses, face2Statuses } });
		},
	},
];

export { routes, SMALL_FACE_BYTES, NO_DOCUMENT_MARK, PEOPLE };
