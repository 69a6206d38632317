/// <reference types="node" />
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DiffBenchResult, formatDiffBench, measureDiff } from './diff-bench.js';
import {
  formatDetailTable,
  formatSummaryLine,
  RATIO_TARGET,
  rates,
  SCHEMA_RATIO_TARGET,
  type TargetResult,
} from './format-results.js';
import { type GeneratedRepo, generateRepo, writeKubeconformShapedRepo } from './generate-repo.js';
import {
  type AddedCost,
  gcMode,
  measureAdded,
  measureKept,
  measurePair,
  measureProcess,
  medianOf,
} from './measure.js';
import { formatOneShot, measureOneShot, type OneShotCost } from './one-shot.js';
import { formatReportCosts, measureReportCosts, type ReportCosts } from './report-costs.js';
import {
  type BaselineCount,
  BENCH_POLICIES,
  type CheckMode,
  type CheckSummary,
  type LoadAll,
  loadCheck,
  loadJsYaml,
  type PolicyCheckTimings,
  parseWithJsYaml,
  type RunCheck,
} from './sides.js';
import { formatStageCosts, measureStageCosts, type StageCost } from './stage-costs.js';

// `pnpm bench`: `check` against plain js-yaml parsing on the shared corpus (whole and per
// repository) and on a generated repository. Prints figures and writes bench/results/latest.json;
// it asserts nothing about speed. See bench/README.md.

const iterations = positiveInteger('BENCH_ITERATIONS', 5);
const generatedResources = positiveInteger('BENCH_RESOURCES', 30_000);
const seed = positiveInteger('BENCH_SEED', 1);
const filter = process.env['BENCH_FILTER'] ? new RegExp(process.env['BENCH_FILTER']) : undefined;

/** kubeconform v0.7.0 on its `files3000` corpus: 208–237 µs of CPU per resource (reference §3.2); the bar. */
const KUBECONFORM_PER_CPU_SECOND = 4_900;
const PROCESS_RUNS = 3;
/** Rounds of fresh-process checks (parse, schemas, policies) on the generated repository. */
const ONE_SHOT_ROUNDS = 5;

const corpusDir = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
const resultsFile = fileURLToPath(new URL('./results/latest.json', import.meta.url));

interface Target {
  readonly name: string;
  /** A folder, or a function that creates it when its turn comes. */
  readonly path: string | (() => string);
}

function positiveInteger(variable: string, fallback: number): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${variable} must be a positive integer, got '${raw}'`);
  return value;
}

function listTargets(makeGenerated: () => string): Target[] {
  if (!existsSync(corpusDir)) throw new Error(`corpus not found at ${corpusDir}`);
  const repos = readdirSync(corpusDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const targets: Target[] = [
    { name: 'corpus', path: corpusDir },
    ...repos.map((repo) => ({ name: `corpus/${repo}`, path: join(corpusDir, repo) })),
    { name: `generated/seed-${seed}`, path: makeGenerated },
  ];
  return targets.filter((target) => filter === undefined || filter.test(target.name));
}

async function measureTarget(
  name: string,
  path: string,
  run: RunCheck | undefined,
  loadAll: LoadAll,
  mode: CheckMode,
): Promise<TargetResult> {
  const target = mode === 'parse' ? RATIO_TARGET : SCHEMA_RATIO_TARGET;
  // The baseline parses exactly the files check parses (kustomizations, patches and shipshape's own
  // config are not manifests), taken from one untimed check run.
  const fileList = run
    ? await run(path, 'parse').then(
        (s) => s.fileList,
        () => undefined,
      )
    : undefined;
  const only = fileList && new Set(fileList.map((f) => join(path, f)));
  const baseline = (): BaselineCount => parseWithJsYaml(path, loadAll, only);
  let checkError: string | undefined;
  let measured: Awaited<ReturnType<typeof measurePair<CheckSummary, BaselineCount>>>;
  try {
    measured = await measurePair(run && (() => run(path, mode)), baseline, iterations);
  } catch (error) {
    if (run === undefined) throw error;
    checkError = error instanceof Error ? error.message : String(error);
    measured = await measurePair<CheckSummary, BaselineCount>(undefined, baseline, iterations);
  }
  const summary = measured.check?.count;
  const files = summary?.files ?? measured.baseline.count.files;
  const resources = summary?.resources ?? measured.baseline.count.documents;
  const check = measured.check && { ...measured.check, ...rates(resources, measured.check.stats) };
  const ratio = check && check.stats.medianMs / measured.baseline.stats.medianMs;
  const cpuRatio = check && check.stats.medianCpuMs / measured.baseline.stats.medianCpuMs;
  return {
    name,
    path,
    files,
    resources,
    check,
    baseline: { ...measured.baseline, ...rates(resources, measured.baseline.stats) },
    ratio,
    cpuRatio,
    withinTarget: ratio === undefined ? undefined : ratio <= target,
    target,
    ...(checkError === undefined ? {} : { checkError }),
  };
}

async function main(): Promise<void> {
  const loaded = await loadCheck();
  const loadAll = await loadJsYaml();
  const run = loaded.ok ? loaded.run : undefined;
  let generatedDir: string | undefined;
  let generated: GeneratedRepo | undefined;
  const makeGenerated = (): string => {
    generatedDir = mkdtempSync(join(tmpdir(), 'shipshape-bench-'));
    const started = performance.now();
    generated = generateRepo(generatedDir, generatedResources, { seed });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const mb = (generated.bytes / 1024 / 1024).toFixed(1);
    console.error(
      `  generated ${generated.resources} resources in ${generated.files} files (${mb} MiB, seed ${seed}) in ${seconds} s at ${generatedDir}`,
    );
    return generatedDir;
  };
  const targets = listTargets(makeGenerated);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `shipshape bench: 1 warm-up + ${iterations} timed run(s) per side, alternating; medians below; ` +
      `node ${process.version}, ${cpus().length}× ${cpu}, GC between runs: ${gcMode}`,
  );
  if (!loaded.ok) console.log(`⚠ check() is not measured: ${loaded.reason}`);
  const labelWidth = Math.max(...targets.map((t) => t.name.length)) + 30;
  const results: TargetResult[] = [];
  const processes: ProcessResult[] = [];
  const addedCosts: ({ target: string; keptBytes?: number[]; oneShot?: OneShotCost } & AddedCost)[] = [];
  const stageCosts: { target: string; costs: StageCost[] }[] = [];
  const ruleTimings: ({ target: string } & PolicyCheckTimings)[] = [];
  let diffResult: DiffBenchResult | undefined;
  let reportCosts: ReportCosts | undefined;
  try {
    for (const target of targets) {
      const path = typeof target.path === 'string' ? target.path : target.path();
      const parsed = await measureTarget(`${target.name} [parse]`, path, run, loadAll, 'parse');
      results.push(parsed);
      console.log(formatSummaryLine(parsed, labelWidth));
      // Schema validation is measured on the whole corpus and the generated repository.
      if (target.name.includes('/') && !target.name.startsWith('generated')) continue;
      const withSchemas = await measureTarget(`${target.name} [+schemas]`, path, run, loadAll, 'schemas');
      results.push(withSchemas);
      console.log(formatSummaryLine(withSchemas, labelWidth));
      // Policies (pss-restricted + best-practices, no schemas) against schema validation, both as
      // time added to the parse-only check: on the generated repository (the figure, with a
      // [+policies] row in the table) and on the corpus (real repositories, for comparison).
      if (target.name.startsWith('generated')) {
        const withPolicies = await measureTarget(
          `${target.name} [+policies]`,
          path,
          run,
          loadAll,
          'policies',
        );
        results.push(withPolicies);
        console.log(formatSummaryLine(withPolicies, labelWidth));
      }
      if (run) {
        // The comparison, measured in interleaved rounds (see measureAdded). Each run
        // yields the number of diagnostics it reported.
        const modes: CheckMode[] = ['parse', 'schemas', 'policies', 'quiet-policies', 'replayed-findings'];
        const { cost, warmUpValues } = await measureAdded(
          modes.map((mode) => async () => {
            const s = await run(path, mode);
            return s.errors + s.warnings + s.infos;
          }),
          Math.max(7, iterations),
        );
        const result = loaded.ok ? loaded.result : undefined;
        const kept = result
          ? await measureKept([
              () => result(path, 'parse'),
              () => result(path, 'schemas'),
              () => result(path, 'policies'),
            ])
          : undefined;
        // The same comparison with every check in a process of its own, as a CI step runs it.
        const oneShot = target.name.startsWith('generated')
          ? measureOneShot(path, ONE_SHOT_ROUNDS)
          : undefined;
        addedCosts.push({
          target: target.name,
          ...cost,
          ...(kept ? { keptBytes: kept } : {}),
          ...(oneShot ? { oneShot } : {}),
        });
        console.log(formatAddedCost(cost));
        // The findings-dropped check must report exactly what the parse-only check does (their
        // warm-up runs).
        const [plain, , policies, quiet, replayed] = warmUpValues;
        if (quiet !== plain) {
          console.log(
            `  ✗ the findings-dropped check reported ${quiet} diagnostics, the parse-only check ${plain}: its figures are not the rules alone`,
          );
        }
        // The replay must report what the policy check did (it leaves out suppressed findings,
        // which the bench's repositories have none of, as the counts show).
        if (replayed !== policies) {
          console.log(
            `  ✗ the replayed-findings check reported ${replayed} diagnostics, the policy check ${policies}: its figures are not the findings alone`,
          );
        }
        if (kept) console.log(formatKept(kept));
        if (oneShot) console.log(formatOneShot(oneShot));
        // Where the difference comes from: each stage alone over the files the parse-only check read.
        const files = parsed.check?.count.fileList;
        if (target.name.startsWith('generated') && files !== undefined) {
          const costs = await measureStageCosts(path, files, Math.max(7, iterations));
          stageCosts.push({ target: target.name, costs });
          console.log(formatStageCosts(costs, parsed.resources));
          // And where, rule by rule: one policy check that times itself (what --timing prints).
          const timings = loaded.ok ? await loaded.timedPolicies(path) : undefined;
          if (timings) {
            ruleTimings.push({ target: target.name, ...timings });
            console.log(formatRuleTimings(timings));
          }
        }
      }
    }
    if (filter === undefined || filter.test('diff')) {
      // Issue 5's figure: diffing 30,000 desired/live pairs built from the generated repository.
      const folder = generatedDir ?? makeGenerated();
      const { check } = await import('shipshape');
      const read = await check({
        cwd: folder,
        paths: ['.'],
        config: false,
        validate: false,
        admissionPolicies: false,
      });
      diffResult = await measureDiff(
        read.resources.map((r) => r.object),
        iterations,
      );
      console.log(formatDiffBench(diffResult));
    }
    if (loaded.ok && (filter === undefined || filter.test('reports'))) {
      // Reports of many findings (the packs on the corpus): made in pieces, as the CLI writes them,
      // and as one string, against JSON.stringify of the findings.
      reportCosts = await measureReportCosts(corpusDir, BENCH_POLICIES, 3);
      console.log(formatReportCosts('corpus', reportCosts));
    }
    if (filter === undefined || filter.test('process')) {
      processes.push(measureKubeconformShape());
      if (generatedDir !== undefined && generated !== undefined)
        processes.push(measureWholeCheck(`generated/seed-${seed}`, generatedDir, generated.resources, []));
    }
  } finally {
    if (generatedDir !== undefined) rmSync(generatedDir, { recursive: true, force: true });
  }
  const startup = measureStartup();
  console.log(
    `one-file check with schemas, process start-up included (shipshape check <one Deployment>): ` +
      `median ${startup.medianMs.toFixed(0)} ms, min ${startup.minMs.toFixed(0)} ms over ${startup.runs} runs ` +
      `${startup.medianMs < 500 ? '✓' : '✗'} (< 500 ms)`,
  );
  console.log('\n' + formatDetailTable(results));
  console.log(
    `\nratio = median check wall time / median js-yaml wall time on the same files; ✓ when ≤ ${RATIO_TARGET.toFixed(2)}× (parse only) or ≤ ${SCHEMA_RATIO_TARGET.toFixed(2)}× (with schemas, Kubernetes ${'1.35'} default).`,
  );
  mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: { model: cpu, count: cpus().length },
    iterations,
    gcMode,
    ratioTarget: RATIO_TARGET,
    check: loaded.ok ? { available: true } : { available: false, reason: loaded.reason },
    generated: generated && { seed, ...generated },
    targets: results,
    processes,
    addedCosts,
    stageCosts,
    ruleTimings,
    diff: diffResult,
    reports: reportCosts,
    startup,
  };
  writeFileSync(resultsFile, JSON.stringify(report, null, 2) + '\n');
  console.log(`results written to ${resultsFile}`);
  // Speed is reported, not asserted; a missing or failing check() means the figures are incomplete.
  if (!loaded.ok || results.some((r) => r.checkError !== undefined)) process.exitCode = 1;
}

await main();

interface ProcessResult {
  readonly name: string;
  readonly resources: number;
  readonly medianWallMs: number;
  readonly medianCpuMs: number;
  readonly cpuUsPerResource: number;
  readonly resourcesPerCpuSecond: number;
  readonly aboveKubeconform: boolean;
  readonly cpuMs: readonly number[];
}

/** The `shipshape` bin as the package names it (the bundled `dist/shipshape.js`), as users run it. */
function binPath(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    bin: { shipshape: string };
  };
  return fileURLToPath(new URL(`../${pkg.bin.shipshape}`, import.meta.url));
}

/** CPU of whole `shipshape check <dir> ...args` processes (the bin), start-up included, as kubeconform was timed. */
function measureWholeCheck(
  name: string,
  dir: string,
  resources: number,
  args: readonly string[],
): ProcessResult {
  const cli = binPath();
  // Exit 1 means findings, which is a run like any other; 2 is a usage or I/O failure.
  const samples = measureProcess(
    cli,
    ['check', '.', ...args],
    dir,
    PROCESS_RUNS,
    (status) => status === 0 || status === 1,
  );
  const medianCpuMs = medianOf(samples.map((s) => s.cpuMs));
  const perSecond = resources / (medianCpuMs / 1000);
  const result: ProcessResult = {
    name,
    resources,
    medianWallMs: medianOf(samples.map((s) => s.wallMs)),
    medianCpuMs,
    cpuUsPerResource: (medianCpuMs * 1000) / resources,
    resourcesPerCpuSecond: perSecond,
    aboveKubeconform: perSecond > KUBECONFORM_PER_CPU_SECOND,
    cpuMs: samples.map((s) => s.cpuMs),
  };
  console.log(
    `whole process, ${name} (${resources.toLocaleString('en-US')} resources, ${['check', ...args].join(' ')}): ` +
      `median ${(medianCpuMs / 1000).toFixed(2)} CPU-s, ${(result.medianWallMs / 1000).toFixed(2)} s wall over ${samples.length} runs → ` +
      `${result.cpuUsPerResource.toFixed(0)} µs CPU per resource, ${Math.round(perSecond).toLocaleString('en-US')} resources per CPU-second ` +
      `${result.aboveKubeconform ? '✓' : '✗'} (kubeconform ≈ ${KUBECONFORM_PER_CPU_SECOND.toLocaleString('en-US')})`,
  );
  return result;
}

/** The corpus kubeconform was measured on (3,000 files of Deployment, Service and ConfigMap), against 1.33 as it was. */
function measureKubeconformShape(): ProcessResult {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-kubeconform-shape-'));
  try {
    const resources = writeKubeconformShapedRepo(dir, 3000);
    return measureWholeCheck('kubeconform files3000 shape', dir, resources, ['--kubernetes-version', '1.33']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Policies cost no more than schema validation: the median time each adds to the parse-only check,
 * within rounds; then, for what it says about where the cost lies (not part of the ✓), the same
 * policy check with every finding dropped as its rule reports it.
 */
function formatAddedCost(cost: AddedCost): string {
  const spread = (values: readonly number[] | undefined) =>
    values ? `${Math.min(...values).toFixed(0)}…${Math.max(...values).toFixed(0)}` : '?';
  const line = (what: string, medians: readonly number[], added: readonly (readonly number[])[]) => {
    const [schemaCost, policyCost, quietCost, replayCost] = medians;
    if (schemaCost === undefined || policyCost === undefined) return `  ${what}: not measured`;
    return (
      `  ${what} added to parsing (median of ${cost.rounds} interleaved rounds): schemas ${schemaCost.toFixed(0)} ms (${spread(added[0])}), ` +
      `policies (${BENCH_POLICIES.join(' + ')}) ${policyCost.toFixed(0)} ms (${spread(added[1])}) ` +
      `${policyCost <= schemaCost ? '✓' : '✗'} (policies ≤ schemas)` +
      (quietCost === undefined
        ? ''
        : `; the same policies with their findings dropped ${quietCost.toFixed(0)} ms (${spread(added[2])})`) +
      (replayCost === undefined
        ? ''
        : `; their findings alone, replayed by a rule that evaluates nothing, ${replayCost.toFixed(0)} ms (${spread(added[3])})`)
    );
  };
  const [schemas, policies, quiet, replay] = cost.fastest;
  const fastest =
    schemas === undefined || policies === undefined
      ? '  fastest runs: not measured'
      : `  fastest run of each minus the fastest parse-only run: schemas ${schemas.wallMs.toFixed(0)} ms wall, ${schemas.cpuMs.toFixed(0)} ms CPU; ` +
        `policies ${policies.wallMs.toFixed(0)} ms wall, ${policies.cpuMs.toFixed(0)} ms CPU ` +
        `${policies.wallMs <= schemas.wallMs && policies.cpuMs <= schemas.cpuMs ? '✓' : '✗'} (policies ≤ schemas)` +
        (quiet === undefined
          ? ''
          : `; findings dropped ${quiet.wallMs.toFixed(0)} ms wall, ${quiet.cpuMs.toFixed(0)} ms CPU`) +
        (replay === undefined
          ? ''
          : `; findings alone ${replay.wallMs.toFixed(0)} ms wall, ${replay.cpuMs.toFixed(0)} ms CPU`);
  return `${line('wall time', cost.medians, cost.added)}\n${line('CPU time', cost.cpuMedians, cost.addedCpu)}\n${fastest}`;
}

/**
 * One timed policy check (`timing: true`, a warm process): the policy stage, placing, and the five
 * slowest rules, building their findings included.
 */
function formatRuleTimings(t: PolicyCheckTimings): string {
  const spent = (r: PolicyCheckTimings['rules'][number]) => r.check + r.finish;
  const rules = [...t.rules].sort((a, b) => spent(b) - spent(a));
  let all = 0;
  for (const r of rules) all += spent(r);
  const top = rules.slice(0, 5).map((r) => `${r.rule} ${spent(r).toFixed(0)}`);
  return (
    `  one policy check timing itself (check({ timing: true }), one run): policies ${t.policies.toFixed(0)} ms of ${t.total.toFixed(0)}, ` +
    `placing findings ${t.placing.toFixed(0)} ms, the ${rules.length} rules ${all.toFixed(0)} ms; slowest: ${top.join(', ')} ms`
  );
}

/** What each check's result keeps on the heap (see measureKept). */
function formatKept(kept: readonly number[]): string {
  const mb = (bytes: number | undefined) => ((bytes ?? Number.NaN) / 1e6).toFixed(1);
  return `  heap a result keeps after a full GC: parse-only ${mb(kept[0])} MB, schemas ${mb(kept[1])} MB, policies ${mb(kept[2])} MB`;
}

/** Wall time of a whole `shipshape check` process on one small file, as a CI step or an editor runs it. */
function measureStartup(): { medianMs: number; minMs: number; runs: number } {
  const cli = binPath();
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-startup-'));
  const file = join(dir, 'deployment.yaml');
  writeFileSync(
    file,
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: web}\nspec:\n  selector: {matchLabels: {app: web}}\n' +
      '  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx:1.27}]\n',
  );
  const times: number[] = [];
  try {
    for (let i = 0; i < Math.max(5, iterations); i++) {
      const started = performance.now();
      const run = spawnSync(process.execPath, [cli, 'check', file], { cwd: dir, encoding: 'utf8' });
      const elapsed = performance.now() - started;
      if (run.status !== 0) throw new Error(`one-file check exited ${String(run.status)}: ${run.stderr}`);
      if (i > 0) times.push(elapsed); // the first run warms the disk cache
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)] ?? 0, minMs: times[0] ?? 0, runs: times.length };
}
