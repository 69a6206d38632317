/// <reference types="node" />
import { spawnSync } from 'node:child_process';
import { medianOf } from './measure.js';
import { BENCH_POLICIES } from './sides.js';

/** One check in a fresh process: its own time, module loading left out. */
interface OneShotRun {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly diagnostics: number;
}

/** What schemas and what policies add to the parse-only check, each check in a process of its own. */
export interface OneShotCost {
  readonly rounds: number;
  /** Median over the rounds of each check minus the round's parse-only check: schemas, then policies. */
  readonly addedWallMs: readonly [number, number];
  readonly addedCpuMs: readonly [number, number];
  /** Every run, per mode (parse, schemas, policies), in round order. */
  readonly runs: Readonly<Record<OneShotMode, readonly OneShotRun[]>>;
}

type OneShotMode = 'parse' | 'schemas' | 'policies';
const MODES: readonly OneShotMode[] = ['parse', 'schemas', 'policies'];

// The child imports the built package and times only the `check()` call, as the in-process lines
// do, with the same options as sides.ts gives each mode.
const CHILD = `
const { check } = await import(process.env.SHIPSHAPE_URL);
const mode = process.env.SHIPSHAPE_MODE;
const options = { cwd: process.env.SHIPSHAPE_DIR, paths: ['.'], config: false, validate: mode === 'schemas' };
if (mode === 'policies') options.policies = JSON.parse(process.env.SHIPSHAPE_POLICIES);
else options.admissionPolicies = false;
const c0 = process.cpuUsage();
const t0 = performance.now();
const result = await check(options);
const wallMs = performance.now() - t0;
const c = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({ wallMs, cpuMs: (c.user + c.system) / 1000, diagnostics: result.diagnostics.length }));
`;

/**
 * The comparison as a CI step meets it: every check in a fresh Node.js process, so each
 * one compiles what it runs (the in-process rounds reuse whatever optimized code survives the
 * forced GC between runs). Rounds run the three checks in a rotating order; each check's time is
 * taken inside its process around `check()`, so process start-up and module loading are left out.
 *
 * @example
 * ```ts
 * const cost = measureOneShot('/tmp/generated', 5);
 * cost.addedWallMs; // [schemas, policies]
 * ```
 */
export function measureOneShot(dir: string, rounds: number): OneShotCost {
  const url = import.meta.resolve('shipshape');
  const runs: Record<OneShotMode, OneShotRun[]> = { parse: [], schemas: [], policies: [] };
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < MODES.length; i++) {
      const mode = MODES[(round + i) % MODES.length];
      runs[mode].push(runChild(url, dir, mode));
    }
  }
  // Each mode ran once a round: the same index is the same round.
  const added = (mode: OneShotMode, measure: 'wallMs' | 'cpuMs') =>
    medianOf(runs[mode].map((run, round) => run[measure] - runs.parse[round][measure]));
  return {
    rounds,
    addedWallMs: [added('schemas', 'wallMs'), added('policies', 'wallMs')],
    addedCpuMs: [added('schemas', 'cpuMs'), added('policies', 'cpuMs')],
    runs,
  };
}

function runChild(url: string, dir: string, mode: OneShotMode): OneShotRun {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD], {
    encoding: 'utf8',
    env: {
      ...process.env,
      SHIPSHAPE_URL: url,
      SHIPSHAPE_DIR: dir,
      SHIPSHAPE_MODE: mode,
      SHIPSHAPE_POLICIES: JSON.stringify(BENCH_POLICIES),
    },
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) {
    throw new Error(`one-shot ${mode} check failed (status ${child.status}): ${child.stderr.slice(0, 500)}`);
  }
  return JSON.parse(child.stdout) as OneShotRun;
}

/** The bench line: what each adds in fresh processes, wall and CPU, and whether policies cost no more. */
export function formatOneShot(cost: OneShotCost): string {
  const [schemasWall, policiesWall] = cost.addedWallMs;
  const [schemasCpu, policiesCpu] = cost.addedCpuMs;
  const counts = (mode: OneShotMode) => [...new Set(cost.runs[mode].map((r) => r.diagnostics))].join('/');
  return (
    `  each check in a fresh process (median of ${cost.rounds} rounds, the check() call alone): ` +
    `schemas add ${schemasWall.toFixed(0)} ms wall, ${schemasCpu.toFixed(0)} ms CPU; ` +
    `policies add ${policiesWall.toFixed(0)} ms wall, ${policiesCpu.toFixed(0)} ms CPU ` +
    `${policiesWall <= schemasWall && policiesCpu <= schemasCpu ? '✓' : '✗'} (policies ≤ schemas); ` +
    `diagnostics ${counts('parse')} / ${counts('schemas')} / ${counts('policies')}`
  );
}
