/// <reference types="node" />
import { spawnSync } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** One timed run. Memory figures are bytes above the level right after the pre-run GC. */
export interface RunSample {
  readonly wallMs: number;
  /** User + system CPU time of the whole process (all threads) during the run. */
  readonly cpuMs: number;
  readonly rssPeakDelta: number;
  readonly heapPeakDelta: number;
}

/** Several runs of one side, reduced. */
export interface SeriesStats {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly medianCpuMs: number;
  /** Medians over the runs of each run's peak. */
  readonly rssPeakDelta: number;
  readonly heapPeakDelta: number;
  readonly wallMs: readonly number[];
}

/** A side of the comparison: what it counted on its warm-up run, and its timings. */
export interface SideResult<T> {
  readonly count: T;
  readonly stats: SeriesStats;
}

/** How a full GC is forced between runs: the `--expose-gc` flag, the V8 flag set at run time, or not at all. */
export type GcMode = 'expose-gc' | 'v8-flag' | 'none';

const SAMPLE_EVERY_MS = 10;
const { gc, gcMode } = findGc();

export { gcMode };

function findGc(): { gc: (() => void) | undefined; gcMode: GcMode } {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return { gc: exposed as () => void, gcMode: 'expose-gc' };
  try {
    // Without --expose-gc, turning the flag on now still lets a fresh context see `gc`.
    setFlagsFromString('--expose-gc');
    const late: unknown = runInNewContext('gc');
    if (typeof late === 'function') return { gc: late as () => void, gcMode: 'v8-flag' };
  } catch {
    // fall through: runs then share whatever garbage the previous one left
  }
  return { gc: undefined, gcMode: 'none' };
}

/**
 * Run `fn` once after a full GC and time it. Peak memory is sampled every 10 ms while the event loop
 * turns, and once at the end; a fully synchronous run is therefore seen only at its end, so its
 * peaks are lower bounds.
 */
export async function measureRun<T>(fn: () => T | Promise<T>): Promise<{ value: T; sample: RunSample }> {
  gc?.();
  const before = process.memoryUsage();
  let rssPeak = before.rss;
  let heapPeak = before.heapUsed;
  const sampleMemory = (): void => {
    const now = process.memoryUsage();
    rssPeak = Math.max(rssPeak, now.rss);
    heapPeak = Math.max(heapPeak, now.heapUsed);
  };
  const timer = setInterval(sampleMemory, SAMPLE_EVERY_MS);
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  try {
    const value = await fn();
    const wallMs = performance.now() - start;
    const cpu = process.cpuUsage(cpuBefore);
    sampleMemory();
    const sample: RunSample = {
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      rssPeakDelta: rssPeak - before.rss,
      heapPeakDelta: heapPeak - before.heapUsed,
    };
    return { value, sample };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Measure `check` against `baseline` on the same input: one warm-up run of each (its result is the
 * count reported), then `iterations` runs of each, interleaved and in alternating order (C B, B C,
 * C B…) so both sides share drifts in machine load, thermal state and heap growth.
 */
export async function measurePair<C, B>(
  check: (() => Promise<C>) | undefined,
  baseline: () => B,
  iterations: number,
): Promise<{ check: SideResult<C> | undefined; baseline: SideResult<B> }> {
  const checkCount = check ? (await measureRun(check)).value : undefined;
  const baselineCount = (await measureRun(baseline)).value;
  const checkSamples: RunSample[] = [];
  const baselineSamples: RunSample[] = [];
  for (let i = 0; i < iterations; i++) {
    const checkFirst = i % 2 === 0;
    if (check && checkFirst) checkSamples.push((await measureRun(check)).sample);
    baselineSamples.push((await measureRun(baseline)).sample);
    if (check && !checkFirst) checkSamples.push((await measureRun(check)).sample);
  }
  return {
    check: check ? { count: checkCount as C, stats: summarize(checkSamples) } : undefined,
    baseline: { count: baselineCount, stats: summarize(baselineSamples) },
  };
}

/** What {@link measureAdded} found: per variant after the first, the time it added in each round. */
export interface AddedCost {
  /** Per variant after the first: its wall time minus the first variant's, round by round. */
  readonly added: readonly (readonly number[])[];
  readonly medians: readonly number[];
  /** The same for CPU time (all threads of the process: the garbage collector's helpers too). */
  readonly addedCpu: readonly (readonly number[])[];
  readonly cpuMedians: readonly number[];
  /**
   * Per variant after the first: its fastest run minus the first variant's fastest run, in wall and
   * CPU time. A slowdown of the machine only ever adds time, so the fastest runs are the ones least
   * touched by it: a second estimate beside the medians, steadier when the machine drifts.
   */
  readonly fastest: readonly { readonly wallMs: number; readonly cpuMs: number }[];
  readonly rounds: number;
}

/**
 * The time each variant adds to the first (the parse-only check), measured in rounds: every round
 * runs every variant once, in a rotating order, and the differences are taken within the round.
 * This machine's speed drifts by tens of percent over seconds; medians taken in separate phases
 * (parse first, schemas later, policies last) compared numbers from different drifts, while a
 * difference inside one round shares it.
 */
export async function measureAdded<T>(
  variants: readonly (() => Promise<T>)[],
  rounds: number,
): Promise<{ readonly cost: AddedCost; readonly warmUpValues: readonly T[] }> {
  // The warm-up runs' results, for the caller to check what each variant reported.
  const warmUpValues: T[] = [];
  for (const v of variants) warmUpValues.push((await measureRun(v)).value);
  const added: number[][] = variants.slice(1).map(() => []);
  const addedCpu: number[][] = variants.slice(1).map(() => []);
  const minWall = variants.map(() => Number.POSITIVE_INFINITY);
  const minCpu = variants.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < rounds; round++) {
    const samples: RunSample[] = [];
    for (let k = 0; k < variants.length; k++) {
      const index = (round + k) % variants.length;
      const variant = variants[index];
      if (!variant) continue;
      const sample = (await measureRun(variant)).sample;
      samples[index] = sample;
      minWall[index] = Math.min(minWall[index] ?? Number.POSITIVE_INFINITY, sample.wallMs);
      minCpu[index] = Math.min(minCpu[index] ?? Number.POSITIVE_INFINITY, sample.cpuMs);
    }
    for (let v = 1; v < variants.length; v++) {
      added[v - 1]?.push((samples[v]?.wallMs ?? 0) - (samples[0]?.wallMs ?? 0));
      addedCpu[v - 1]?.push((samples[v]?.cpuMs ?? 0) - (samples[0]?.cpuMs ?? 0));
    }
  }
  const cost: AddedCost = {
    added,
    medians: added.map((a) => median(a)),
    addedCpu,
    cpuMedians: addedCpu.map((a) => median(a)),
    fastest: variants.slice(1).map((_, v) => ({
      wallMs: (minWall[v + 1] ?? 0) - (minWall[0] ?? 0),
      cpuMs: (minCpu[v + 1] ?? 0) - (minCpu[0] ?? 0),
    })),
    rounds,
  };
  return { cost, warmUpValues };
}

/**
 * The heap each variant's result keeps once its run is over: heap used after full GCs with the
 * result held, minus heap used after full GCs once it is dropped; the largest of three tries, since
 * what goes wrong only ever counts too little (a GC forced while V8 is marking can keep objects that
 * died after the marking began: 5 tries in 21 read 0–1 MB for a 22 MB result). What a caller
 * holding the result pays, and what the collector copies and marks while a run keeps its findings.
 * Run after the variants are warm (caches filled); `undefined` when no GC can be forced.
 */
export async function measureKept(
  variants: readonly (() => Promise<unknown>)[],
): Promise<number[] | undefined> {
  const collect = gc;
  if (!collect) return undefined;
  const kept: number[] = [];
  for (const variant of variants) {
    let most = Number.NEGATIVE_INFINITY;
    for (let attempt = 0; attempt < 3; attempt++) {
      // The awaited result stays in the frame that awaited it: that frame ends before the drop.
      const held = await heapHolding(variant, collect);
      await new Promise((resolve) => setTimeout(resolve, 0));
      collect();
      collect();
      most = Math.max(most, held - process.memoryUsage().heapUsed);
    }
    kept.push(most);
  }
  return kept;
}

async function heapHolding(variant: () => Promise<unknown>, collect: () => void): Promise<number> {
  const holder: { result?: unknown } = {};
  holder.result = await variant();
  collect();
  collect();
  const held = process.memoryUsage().heapUsed;
  holder.result = undefined;
  return held;
}

/** Median, min and max of the samples; medians of CPU time and memory peaks. */
export function summarize(samples: readonly RunSample[]): SeriesStats {
  if (samples.length === 0) throw new RangeError('summarize() needs at least one sample');
  const wallMs = samples.map((s) => s.wallMs);
  return {
    medianMs: median(wallMs),
    minMs: Math.min(...wallMs),
    maxMs: Math.max(...wallMs),
    medianCpuMs: median(samples.map((s) => s.cpuMs)),
    rssPeakDelta: median(samples.map((s) => s.rssPeakDelta)),
    heapPeakDelta: median(samples.map((s) => s.heapPeakDelta)),
    wallMs,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (index: number): number => sorted[index] ?? Number.NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
}

/** A whole process, timed from outside and its CPU read from inside. */
export interface ProcessSample {
  readonly wallMs: number;
  /** User + system CPU of the whole process (start-up, module loading, every thread), from `process.cpuUsage()` at exit. */
  readonly cpuMs: number;
}

const CPU_MARK = 'shipshape-bench-cpu-us ';
// Loaded with --import before the CLI: reports the process's own CPU use as it exits.
const CPU_REPORTER = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\n${CPU_MARK}'+(u.user+u.system)+'\\n')})`;

/**
 * Run `node <script> ...args` `runs` times (after one untimed run that warms the disk cache) and
 * return each run's wall and CPU time. `accept` decides whether an exit status is a success.
 */
export function measureProcess(
  script: string,
  args: readonly string[],
  cwd: string,
  runs: number,
  accept: (status: number | null) => boolean = (status) => status === 0,
): ProcessSample[] {
  const samples: ProcessSample[] = [];
  for (let i = 0; i <= runs; i++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, ['--import', CPU_REPORTER, script, ...args], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    const wallMs = performance.now() - started;
    if (!accept(run.status))
      throw new Error(`${script} ${args.join(' ')} exited ${String(run.status)}: ${run.stderr}`);
    const line = run.stderr.split('\n').find((l) => l.startsWith(CPU_MARK));
    if (line === undefined) throw new Error(`no CPU figure from ${script}: ${run.stderr}`);
    if (i > 0) samples.push({ wallMs, cpuMs: Number(line.slice(CPU_MARK.length)) / 1000 });
  }
  return samples;
}

/** The median of some numbers. */
export function medianOf(values: readonly number[]): number {
  return median(values);
}
