/** Tar archives built in memory for the tests: ustar headers, any type flag or raw size field. */

export interface TarEntry {
	name: string;
	data: Buffer;
	/** The type flag (default '0', a file). */
	type?: string;
	/** The raw size field (12 bytes), instead of the data's length in octal. */
	sizeField?: Buffer;
}

function header(entry: TarEntry): Buffer {
	const block = Buffer.alloc(512);
	block.write(entry.name.slice(0, 100), 0);
	block.write('0000644\0', 100);
	if (entry.sizeField) entry.sizeField.copy(block, 124);
	else block.write(`${entry.data.length.toString(8).padStart(11, '0')}\0`, 124);
	block.write('ustar\0', 257);
	block.write('00', 263);
	block.write(entry.type ?? '0', 156);
	block.fill(' ', 148, 156);
	let sum = 0;
	for (const byte of block) sum += byte;
	block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
	return block;
}

export function tar(entries: Array<[string, Buffer] | TarEntry>): Buffer {
	const blocks: Buffer[] = [];
	for (const item of entries) {
		const entry = Array.isArray(item) ? { name: item[0], data: item[1] } : item;
		blocks.push(header(entry), entry.data, Buffer.alloc((512 - (entry.data.length % 512)) % 512));
	}
	blocks.push(Buffer.alloc(1024));
	return Buffer.concat(blocks);
}
