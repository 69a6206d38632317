import type { SeriesStats, SideResult } from './measure.js';
import type { BaselineCount, CheckSummary } from './sides.js';

/** `check` time over baseline time at which the ratio is reported as met. */
export const RATIO_TARGET = 1.3;
/** With schema validation (issue 3): at most 1.5× plain parsing. */
export const SCHEMA_RATIO_TARGET = 1.5;

/** Throughput of one side, from its median run, over the target's resource count. */
export interface Rates {
  readonly resourcesPerSecond: number;
  readonly msPerResource: number;
  readonly resourcesPerCpuSecond: number;
}

/** Everything measured on one tree. */
export interface TargetResult {
  readonly name: string;
  readonly path: string;
  /** From `check`'s summary when it ran, else from the baseline. */
  readonly files: number;
  /** `check`'s summary.resources when it ran, else the baseline's document count. Both sides' rates use it. */
  readonly resources: number;
  readonly check: (SideResult<CheckSummary> & Rates) | undefined;
  readonly baseline: SideResult<BaselineCount> & Rates;
  /** Median `check` time / median baseline time. */
  readonly ratio: number | undefined;
  /** Median `check` CPU time / median baseline CPU time: steadier than `ratio` on a busy machine. */
  readonly cpuRatio: number | undefined;
  readonly withinTarget: boolean | undefined;
  /** The ratio this target is held to: 1.3× parse only, 1.5× with schemas. */
  readonly target: number;
  readonly checkError?: string;
}

export function rates(resources: number, stats: SeriesStats): Rates {
  return {
    resourcesPerSecond: resources / (stats.medianMs / 1000),
    msPerResource: resources === 0 ? 0 : stats.medianMs / resources,
    resourcesPerCpuSecond: resources / (stats.medianCpuMs / 1000),
  };
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function int(value: number): string {
  return Number.isFinite(value) ? integer.format(value) : '–';
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1) + ' MiB';
}

/** `corpus (4,138 files, 9,505 resources)`, padded so the figures line up. */
export function formatLabel(result: TargetResult, width: number): string {
  return `${result.name} (${int(result.files)} files, ${int(result.resources)} resources)`.padEnd(width);
}

/** The headline: median time and throughput of both sides, and the ratio against its target. */
export function formatSummaryLine(result: TargetResult, labelWidth: number): string {
  const side = (name: string, stats: SeriesStats, r: Rates): string =>
    `${name} ${int(stats.medianMs).padStart(6)} ms ${int(r.resourcesPerSecond).padStart(7)} res/s`;
  const baseline = side('js-yaml', result.baseline.stats, result.baseline);
  const label = formatLabel(result, labelWidth);
  if (result.check === undefined || result.ratio === undefined || result.cpuRatio === undefined) {
    const why = result.checkError ? `check failed: ${result.checkError}` : 'check unavailable';
    return `${label} ${why} | ${baseline}`;
  }
  const mark = result.withinTarget ? '✓' : '✗';
  const ratio = `ratio ${result.ratio.toFixed(2)}× ${mark} (≤ ${result.target.toFixed(2)}×), CPU ${result.cpuRatio.toFixed(2)}×`;
  return `${label} ${side('check', result.check.stats, result.check)} | ${baseline} | ${ratio}`;
}

/** One row per side and target: min, ms per resource, CPU throughput and memory. */
export function formatDetailTable(results: readonly TargetResult[]): string {
  const header = [
    'target',
    'side',
    'median ms',
    'min ms',
    'max ms',
    'res/s',
    'ms/res',
    'res/CPU-s',
    'peak ΔRSS',
    'peak Δheap',
    'counted',
  ];
  const rows: string[][] = [];
  for (const result of results) {
    const row = (side: string, stats: SeriesStats, r: Rates, counted: string): string[] => [
      result.name,
      side,
      int(stats.medianMs),
      int(stats.minMs),
      int(stats.maxMs),
      int(r.resourcesPerSecond),
      r.msPerResource.toFixed(3),
      int(r.resourcesPerCpuSecond),
      mib(stats.rssPeakDelta),
      mib(stats.heapPeakDelta),
      counted,
    ];
    if (result.check) {
      const s = result.check.count;
      const counted = `${int(s.files)} files, ${int(s.resources)} res, ${int(s.errors)} err, ${int(s.warnings)} warn`;
      rows.push(row('check', result.check.stats, result.check, counted));
    }
    const b = result.baseline.count;
    const failed = b.failedFiles > 0 ? `, ${int(b.failedFiles)} files threw` : '';
    rows.push(
      row(
        'js-yaml',
        result.baseline.stats,
        result.baseline,
        `${int(b.files)} files, ${int(b.documents)} docs${failed}`,
      ),
    );
  }
  return renderTable(header, rows);
}

function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  // Names, sides and the free-text last column read left to right; figures line up on the right.
  const align = (cell: string, column: number): string =>
    column < 2 || column === header.length - 1
      ? cell.padEnd(widths[column] ?? 0)
      : cell.padStart(widths[column] ?? 0);
  const line = (cells: string[]): string => cells.map(align).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}
