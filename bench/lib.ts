/** Small shared pieces of the bench: statistics, memory sampling, the machine, child protocol. */
import os from 'node:os';

export const MB = 1024 * 1024;

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Peak resident memory while something runs: sampled every `intervalMs` on a timer, and the
 * kernel's high-water mark (`maxRSS`), which cannot miss a spike between two samples.
 */
export class RssSampler {
	private timer?: NodeJS.Timeout;
	baseline = 0;
	peak = 0;
	samples = 0;
	private maxRssBefore = 0;

	constructor(private readonly intervalMs = 5) {}

	start() {
		if (global.gc) global.gc();
		this.baseline = process.memoryUsage.rss();
		this.maxRssBefore = process.resourceUsage().maxRSS * 1024;
		this.peak = this.baseline;
		this.timer = setInterval(() => {
			this.samples++;
			this.peak = Math.max(this.peak, process.memoryUsage.rss());
		}, this.intervalMs);
	}

	stop() {
		clearInterval(this.timer);
		this.peak = Math.max(this.peak, process.memoryUsage.rss());
		const maxRss = process.resourceUsage().maxRSS * 1024;
		return {
			baselineMB: this.baseline / MB,
			sampledPeakAboveMB: (this.peak - this.baseline) / MB,
			// the kernel's high-water mark; meaningful when the process had not been higher before start()
			maxRssAboveMB: maxRss > this.maxRssBefore ? (maxRss - this.baseline) / MB : (this.peak - this.baseline) / MB,
			samples: this.samples,
			intervalMs: this.intervalMs,
		};
	}
}

export function machine() {
	const cpus = os.cpus();
	return {
		cores: cpus.length,
		ramGB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
		cpu: cpus[0]?.model.trim() ?? 'unknown',
		node: process.version,
		platform: `${os.platform()} ${os.release()}`,
	};
}

/** A child prints its result on one line starting with this marker. */
export const RESULT_MARKER = '@@bench-result ';

/** One row of a BENCHMARKS.md table; rows with the same section make one table. */
export interface Row {
	section: string;
	what: string;
	figure: string;
	compare: string;
	verdict?: string;
}

/** The rows as Markdown: a bold section title, then its table. */
export function render(rows: Row[]): string {
	const lines: string[] = [];
	let section = '';
	for (const row of rows) {
		if (row.section !== section) {
			section = row.section;
			lines.push('', `**${section}**`, '', '| Measurement | Figure | Comparison | Target |', '|---|---|---|---|');
		}
		lines.push(`| ${row.what} | ${row.figure} | ${row.compare} | ${row.verdict ?? ''} |`);
	}
	return lines.join('\n').trim();
}
