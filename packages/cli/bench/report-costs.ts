// What writing a report of many findings costs: each format's text made in pieces, as the CLI
// writes it, against the same text made as one string, with `JSON.stringify` of the findings as
// the floor. On the shared corpus the policy packs report about 189,000 findings.

import { type CheckReport, type Format, formatReport, formatReportPieces } from '@shipshape/report';
import { check } from 'shipshape';
import { medianOf } from './measure.js';

/** One format's runs: milliseconds and the heap it grew by at most, made in pieces and whole (the floor: whole only). */
export interface ReportCost {
  readonly format: Format | 'JSON.stringify';
  readonly chars: number;
  readonly piecesMs: readonly number[];
  readonly piecesPeakMb: readonly number[];
  readonly wholeMs: readonly number[];
  readonly wholePeakMb: readonly number[];
}

export interface ReportCosts {
  readonly findings: number;
  readonly costs: readonly ReportCost[];
}

const FORMATS: readonly Format[] = ['json', 'sarif', 'junit', 'text', 'github'];

/**
 * Check `folder` once with the packs, then make each report `rounds` times both ways. The peak is
 * the heap in use above what it was before, sampled every 1,024 pieces (and once after a whole
 * string, which is the most it holds).
 */
export async function measureReportCosts(
  folder: string,
  policies: readonly string[],
  rounds: number,
): Promise<ReportCosts> {
  const result = await check({ cwd: folder, paths: ['.'], config: false, policies: [...policies] });
  const report: CheckReport = {
    diagnostics: result.diagnostics,
    summary: result.summary,
    files: result.files,
    sources: (path, ref) => result.text(path, ref),
    sensitive: result.sensitive,
    rules: result.rules,
    tool: { name: 'shipshape', version: 'bench', informationUri: 'https://example.test/shipshape' },
  };
  const gc = (globalThis as { gc?: () => void }).gc;
  const heap = () => process.memoryUsage().heapUsed;
  type Make = () => { chars: number; peak: number };
  const timed = (make: Make) => {
    gc?.();
    const before = heap();
    const start = performance.now();
    const { chars, peak } = make();
    return { ms: performance.now() - start, peakMb: Math.max(0, peak - before) / 1e6, chars };
  };
  const costs: ReportCost[] = [];
  // The floor has no pieces: it is made whole only.
  const jobs: [ReportCost['format'], Make | undefined, Make][] = [
    [
      'JSON.stringify',
      undefined,
      () => {
        const text = JSON.stringify(report.diagnostics);
        return { chars: text.length, peak: heap() };
      },
    ],
    ...FORMATS.map((format): (typeof jobs)[number] => [
      format,
      () => {
        let chars = 0;
        let peak = 0;
        let n = 0;
        for (const piece of formatReportPieces(format, report)) {
          chars += piece.length;
          if ((++n & 1023) === 0) peak = Math.max(peak, heap());
        }
        return { chars, peak: Math.max(peak, heap()) };
      },
      () => {
        const text = formatReport(format, report);
        return { chars: text.length, peak: heap() };
      },
    ]),
  ];
  for (const [format, pieces, whole] of jobs) {
    const cost = {
      format,
      chars: 0,
      piecesMs: [] as number[],
      piecesPeakMb: [] as number[],
      wholeMs: [] as number[],
      wholePeakMb: [] as number[],
    };
    for (let round = 0; round < rounds; round++) {
      const a = pieces === undefined ? undefined : timed(pieces);
      const b = timed(whole);
      if (a !== undefined && a.chars !== b.chars)
        throw new Error(`${format}: ${a.chars} characters in pieces, ${b.chars} whole`);
      cost.chars = b.chars;
      if (a !== undefined) {
        cost.piecesMs.push(a.ms);
        cost.piecesPeakMb.push(a.peakMb);
      }
      cost.wholeMs.push(b.ms);
      cost.wholePeakMb.push(b.peakMb);
    }
    costs.push(cost);
  }
  return { findings: report.diagnostics.length, costs };
}

/** One line per format: median time and the largest heap growth, in pieces and whole. */
export function formatReportCosts(target: string, measured: ReportCosts): string {
  const lines = [
    `reports of ${measured.findings.toLocaleString('en-US')} findings (${target}, medians; heap: most it grew):`,
  ];
  for (const c of measured.costs) {
    const chars = `${(c.chars / 1e6).toFixed(0)} M chars`;
    if (c.format === 'JSON.stringify') {
      lines.push(
        `  floor, JSON.stringify of the diagnostics: ${medianOf(c.wholeMs).toFixed(0)} ms, heap +${Math.max(...c.wholePeakMb).toFixed(0)} MB (${chars})`,
      );
      continue;
    }
    lines.push(
      `  ${c.format}: in pieces ${medianOf(c.piecesMs).toFixed(0)} ms, heap +${Math.max(...c.piecesPeakMb).toFixed(0)} MB; ` +
        `whole ${medianOf(c.wholeMs).toFixed(0)} ms, heap +${Math.max(...c.wholePeakMb).toFixed(0)} MB (${chars})`,
    );
  }
  return lines.join('\n');
}
