import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { formatResourceKey } from '@shipshape/core';
import type { RuleTiming } from '@shipshape/policy';
import { formatReportPieces, isFormat, resourceJson } from '@shipshape/report';
import { dump } from 'js-yaml/browser';
import { type CheckTimings, check, isFailure, readResources } from './check.js';
import type { FailOn } from './config.js';
import { ShipshapeError } from './errors.js';
import { HELP } from './help.js';
import { resourceHistory } from './resource-history.js';
import { VERSION } from './version.js';

/** Where the CLI reads its environment and writes its output; the bin passes the real process. */
export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
}

const FAIL_ON = ['error', 'warning', 'info', 'never'] as const;

/**
 * Run the `shipshape` command line and return its exit code: 0 clean, 1 findings at or above
 * `--fail-on`, 2 usage, configuration or I/O error (printed without a stack trace).
 *
 * @example
 * ```ts
 * const code = await main(['check', 'clusters/prod', '--format', 'json'], { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr });
 * ```
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof ShipshapeError) {
      io.stderr.write(`shipshape: ${error.message}\n`);
      if (error.code === 'usage') io.stderr.write(`\n${HELP}`);
      return 2;
    }
    throw error;
  }
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const { values, positionals } = parseFlags(rest);
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  refuseOtherFlags(command, values);
  switch (command) {
    case 'check':
      return runCheck(values, positionals, io);
    case 'render':
      return runRender(values, positionals, io);
    case 'history':
      return runHistory(values, positionals, io);
    case 'diff':
      return runDiff(values, positionals, io);
    case 'health':
      return runHealth(values, positionals, io);
    default:
      throw new ShipshapeError('usage', `unknown command "${command}"`);
  }
}

type Flags = ReturnType<typeof parseFlags>['values'];

// The flags each command reads: any other is refused, not ignored (`diff --fail-on warning` would
// otherwise look like a gate and never fail).
const COMMAND_FLAGS: Readonly<Record<string, readonly string[]>> = {
  check: [
    'ref',
    'changed-since',
    'config',
    'format',
    'output',
    'fail-on',
    'kubernetes-version',
    'policy',
    'strict',
    'no-strict',
    'timing',
  ],
  render: ['ref', 'format', 'output'],
  history: ['ref', 'format', 'output', 'resource'],
  diff: ['live', 'base', 'ref', 'config', 'format', 'output', 'exit-code', 'kubernetes-version'],
  health: ['desired', 'ref', 'format', 'output', 'exit-code'],
};

function refuseOtherFlags(command: string, flags: Flags): void {
  const allowed = COMMAND_FLAGS[command];
  if (allowed === undefined) return; // an unknown command is refused by its own message
  for (const [name, value] of Object.entries(flags)) {
    if (value === undefined || name === 'help' || allowed.includes(name)) continue;
    throw new ShipshapeError('usage', `${command} does not take --${name}`);
  }
  if (command === 'health' && flags.ref !== undefined && flags.desired === undefined)
    throw new ShipshapeError('usage', 'health --ref reads --desired at a ref: give --desired PATH too');
}

function parseFlags(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        ref: { type: 'string' },
        'changed-since': { type: 'string' },
        config: { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string' },
        'fail-on': { type: 'string' },
        resource: { type: 'string' },
        live: { type: 'string' },
        desired: { type: 'string' },
        base: { type: 'string' },
        'exit-code': { type: 'boolean' },
        'kubernetes-version': { type: 'string' },
        policy: { type: 'string', multiple: true },
        strict: { type: 'boolean' },
        'no-strict': { type: 'boolean' },
        timing: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new ShipshapeError('usage', error instanceof Error ? error.message : String(error));
  }
}

async function runCheck(flags: Flags, positionals: string[], io: CliIo): Promise<number> {
  const failOnFlag = flags['fail-on'];
  if (failOnFlag !== undefined && !(FAIL_ON as readonly string[]).includes(failOnFlag)) {
    throw new ShipshapeError('usage', `--fail-on must be one of ${FAIL_ON.join(', ')}, not "${failOnFlag}"`);
  }
  if (flags.format !== undefined && !isFormat(flags.format)) {
    throw new ShipshapeError(
      'usage',
      `--format must be one of text, json, sarif, junit, github, markdown, not "${flags.format}"`,
    );
  }
  const progress = io.stderr.isTTY ? progressLine(io) : undefined;
  const result = await check({
    paths: positionals,
    cwd: io.cwd,
    ...(flags.ref === undefined ? {} : { ref: flags.ref }),
    ...(flags['changed-since'] === undefined ? {} : { changedSince: flags['changed-since'] }),
    ...(flags.config === undefined ? {} : { config: flags.config }),
    ...(flags['kubernetes-version'] === undefined ? {} : { kubernetesVersion: flags['kubernetes-version'] }),
    ...(flags.policy === undefined ? {} : { policies: flags.policy }),
    ...(flags['no-strict'] ? { strict: false } : flags.strict ? { strict: true } : {}),
    ...(progress ? { onProgress: (done: number, total: number) => progress.update(done, total) } : {}),
    ...(flags.timing ? { timing: true } : {}),
  });
  progress?.clear();
  const format = isFormat(flags.format) ? flags.format : (result.config.format ?? 'text');
  const failOn = (failOnFlag as FailOn | undefined) ?? result.config.failOn ?? 'error';
  const toFile = flags.output !== undefined;
  const color = format === 'text' && !toFile && io.stdout.isTTY === true && io.env['NO_COLOR'] === undefined;
  // In pieces, written as they come: a report of many findings is never one string (see formatReportPieces).
  const report = formatReportPieces(
    format,
    {
      diagnostics: result.diagnostics,
      summary: result.summary,
      files: result.files,
      sources: (p, ref) => result.text(p, ref),
      sensitive: result.sensitive,
      rules: result.rules,
      tool: {
        name: 'shipshape',
        version: VERSION,
        informationUri: 'https://github.com/shipshape-dev/shipshape',
      },
    },
    { color, failOn: failOn === 'never' ? 'error' : failOn },
  );
  writeOutput(report, flags.output, io);
  // On standard error: the report on standard output stays what its format says.
  if (result.timings) io.stderr.write(formatTimings(result.timings));
  // Every finding with a file is a SARIF result, accepted ones too (code scanning shows them as
  // dismissed). Past its limit code scanning refuses the whole upload, with no alert shown.
  const results = format === 'sarif' ? result.diagnostics.filter((d) => d.span !== undefined).length : 0;
  if (results > CODE_SCANNING_RESULT_LIMIT) {
    io.stderr.write(
      `shipshape: the SARIF log has ${results.toLocaleString('en-US')} results; GitHub code scanning refuses a run of more than ${CODE_SCANNING_RESULT_LIMIT.toLocaleString('en-US')} (and shows at most 5,000): check fewer PATHs, turn rules off in shipshape.yaml, or add exceptions\n`,
    );
  }
  return isFailure(result.summary, failOn) ? 1 : 0;
}

/** Rules `--timing` lists, slowest first. */
const TIMING_ROWS = 10;

/**
 * What `check --timing` prints: the stages, then the slowest policy rules with their share of all
 * the rules' time (building their findings included; placing them is its own line).
 */
function formatTimings(timings: CheckTimings): string {
  const ms = (value: number) =>
    value.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const lines = [
    'Timing (milliseconds)',
    `  whole check        ${ms(timings.total).padStart(10)}`,
    `  schema validation  ${ms(timings.schemas).padStart(10)}`,
    `  policies           ${ms(timings.policies).padStart(10)}`,
    `    placing findings ${ms(timings.placing).padStart(10)}`,
  ];
  const spent = (t: RuleTiming) => t.check + t.finish;
  const rules = [...timings.rules].sort((a, b) => spent(b) - spent(a) || a.rule.localeCompare(b.rule));
  if (rules.length > 0) {
    let all = 0;
    for (const t of rules) all += spent(t);
    const width = Math.max(4, ...rules.slice(0, TIMING_ROWS).map((t) => t.rule.length));
    lines.push(
      '',
      `  ${'Rule'.padEnd(width)}  ${'Time'.padStart(10)}  ${'Share'.padStart(6)}  ${'Calls'.padStart(8)}`,
    );
    for (const t of rules.slice(0, TIMING_ROWS)) {
      const share = all > 0 ? `${((spent(t) / all) * 100).toFixed(1)}%` : '-';
      lines.push(
        `  ${t.rule.padEnd(width)}  ${ms(spent(t)).padStart(10)}  ${share.padStart(6)}  ${t.calls.toLocaleString('en-US').padStart(8)}`,
      );
    }
    if (rules.length > TIMING_ROWS)
      lines.push(
        `  … ${rules.length - TIMING_ROWS} more rules (all of them: check({ timing: true }).timings)`,
      );
  }
  return `${lines.join('\n')}\n`;
}

/** Results a SARIF run may have for GitHub code scanning to accept the upload. */
const CODE_SCANNING_RESULT_LIMIT = 25_000;

async function runRender(flags: Flags, positionals: string[], io: CliIo): Promise<number> {
  if (positionals.length !== 1) throw new ShipshapeError('usage', 'render takes exactly one PATH');
  const format = flags.format ?? 'yaml';
  if (format !== 'yaml' && format !== 'json')
    throw new ShipshapeError('usage', `render --format must be yaml or json, not "${format}"`);
  // Only problems that leave the output incomplete count: no schemas, no policies.
  const result = await readResources(positionals[0] ?? '.', io.cwd, { ref: flags.ref, config: false });
  const objects = result.resources.map((r) => r.object);
  const text =
    format === 'json'
      ? `${JSON.stringify({ version: 1, resources: objects }, null, 2)}\n`
      : objects.map((o) => `---\n${dump(o, { noRefs: true, lineWidth: -1 })}`).join('');
  writeOutput(text, flags.output, io);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  for (const d of errors) {
    const at = d.span ? `${d.span.path}:${d.span.start.line}:${d.span.start.column}: ` : '';
    io.stderr.write(`${at}${d.code}: ${d.message}\n`);
  }
  return errors.length > 0 ? 1 : 0;
}

async function runHistory(flags: Flags, positionals: string[], io: CliIo): Promise<number> {
  if (positionals.length !== 1) throw new ShipshapeError('usage', 'history takes exactly one PATH');
  if (flags.resource === undefined)
    throw new ShipshapeError('usage', 'history needs --resource KIND/NS/NAME');
  const format = flags.format ?? 'text';
  if (format !== 'text' && format !== 'json')
    throw new ShipshapeError('usage', `history --format must be text or json, not "${format}"`);
  const changes = await resourceHistory({
    path: positionals[0] ?? '.',
    resource: flags.resource,
    cwd: io.cwd,
    ...(flags.ref === undefined ? {} : { ref: flags.ref }),
  });
  if (format === 'json') {
    const commits = changes.map(({ oid, author, date, message, change }) => ({
      oid,
      author: `${author.name} <${author.email}>`,
      date,
      message,
      change,
    }));
    writeOutput(`${JSON.stringify({ version: 1, commits }, null, 2)}\n`, flags.output, io);
  } else if (changes.length === 0) {
    writeOutput(`no commit changed ${flags.resource}\n`, flags.output, io);
  } else {
    const lines = changes.map(
      (c) =>
        `${c.oid.slice(0, 10)}  ${c.date.slice(0, 10)}  ${c.change.padEnd(8)}  ${c.author.name}  ${c.message.split('\n')[0]}`,
    );
    writeOutput(`${lines.join('\n')}\n`, flags.output, io);
  }
  return 0;
}

async function runDiff(flags: Flags, positionals: string[], io: CliIo): Promise<number> {
  if (positionals.length !== 1) throw new ShipshapeError('usage', 'diff takes exactly one PATH');
  const format = flags.format ?? 'text';
  if (format !== 'text' && format !== 'json')
    throw new ShipshapeError('usage', `diff --format must be text or json, not "${format}"`);
  if (flags.base !== undefined && flags.live !== undefined)
    throw new ShipshapeError('usage', 'diff takes --live or --base, not both');
  // Loaded on demand: `check`, the common command, does not pay for the diff engine at start-up.
  const { diff } = await import('./diff-command.js');
  const { formatDiagnosticLines, formatDiffJson, formatDiffText } = await import('./format-diff.js');
  const run = await diff({
    path: positionals[0] ?? '.',
    cwd: io.cwd,
    ...(flags.live === undefined ? {} : { live: flags.live }),
    ...(flags.base === undefined ? {} : { base: flags.base }),
    ...(flags.ref === undefined ? {} : { ref: flags.ref }),
    ...(flags.config === undefined ? {} : { config: flags.config }),
    ...(flags['kubernetes-version'] === undefined ? {} : { kubernetesVersion: flags['kubernetes-version'] }),
  });
  const color =
    format === 'text' &&
    flags.output === undefined &&
    io.stdout.isTTY === true &&
    io.env['NO_COLOR'] === undefined;
  // Input that could not be read makes the answer incomplete: that is not "no differences", and
  // the text says so under its counts (JSON readers have the exit code, 2).
  const errors = run.diagnostics.filter((d) => d.severity === 'error').length;
  const incomplete =
    errors === 0
      ? ''
      : `incomplete: ${errors} ${errors === 1 ? 'problem' : 'problems'} reading the input (on standard error) left out of the counts above\n`;
  writeOutput(
    format === 'json'
      ? formatDiffJson(run.resources, run.summary)
      : `${formatDiffText(run.resources, run.summary, color)}${incomplete}`,
    flags.output,
    io,
  );
  io.stderr.write(formatDiagnosticLines(run.diagnostics));
  if (errors > 0) return 2;
  const changed = run.summary.create + run.summary.update + run.summary.delete > 0;
  return flags['exit-code'] && changed ? 1 : 0;
}

async function runHealth(flags: Flags, positionals: string[], io: CliIo): Promise<number> {
  if (positionals.length !== 1) throw new ShipshapeError('usage', 'health takes exactly one FILE or DIR');
  const format = flags.format ?? 'text';
  if (format !== 'text' && format !== 'json')
    throw new ShipshapeError('usage', `health --format must be text or json, not "${format}"`);
  const { health } = await import('./health-command.js');
  const { formatDiagnosticLines } = await import('./format-diff.js');
  const run = await health({
    path: positionals[0] ?? '.',
    cwd: io.cwd,
    ...(flags.desired === undefined ? {} : { desired: flags.desired }),
    ...(flags.ref === undefined ? {} : { ref: flags.ref }),
  });
  const text =
    format === 'json'
      ? `${JSON.stringify(
          {
            version: 1,
            resources: run.resources.map((r) => ({
              resource: resourceJson(r.resource),
              status: r.status,
              ...(r.message === undefined ? {} : { message: r.message }),
            })),
          },
          null,
          2,
        )}\n`
      : run.resources
          .map(
            (r) =>
              `${(r.status ?? '-').padEnd(11)} ${formatResourceKey(r.resource)}${r.message ? `  ${r.message}` : ''}\n`,
          )
          .join('');
  writeOutput(text, flags.output, io);
  io.stderr.write(formatDiagnosticLines(run.diagnostics));
  if (run.diagnostics.some((d) => d.severity === 'error')) return 2;
  const unhealthy = run.resources.some(
    (r) => r.status === 'Degraded' || r.status === 'Missing' || r.status === 'Unknown',
  );
  return flags['exit-code'] && unhealthy ? 1 : 0;
}

function writeOutput(text: string | Iterable<string>, output: string | undefined, io: CliIo): void {
  if (output === undefined) {
    for (const chunk of chunks(text)) io.stdout.write(chunk);
    return;
  }
  const file = path.resolve(io.cwd, output);
  const attempt = <T>(step: () => T): T => {
    try {
      return step();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = (code && WRITE_ERRORS[code]) ?? code ?? String(error);
      throw new ShipshapeError('io', `cannot write ${output}: ${why}`, { cause: error });
    }
  };
  attempt(() => makeFolders(path.dirname(file)));
  const fd = attempt(() => fs.openSync(file, 'w'));
  try {
    for (const chunk of chunks(text)) {
      const bytes = Buffer.from(chunk);
      // A write may take less than it is given: what is left is written again.
      for (let at = 0; at < bytes.length; ) at += attempt(() => fs.writeSync(fd, bytes, at));
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Pieces gathered into writes of about a mebibyte: not a system call per finding, nor one string of all. */
function* chunks(text: string | Iterable<string>): Generator<string> {
  if (typeof text === 'string') {
    yield text;
    return;
  }
  let pending: string[] = [];
  let size = 0;
  for (const piece of text) {
    pending.push(piece);
    size += piece.length;
    if (size >= CHUNK) {
      yield pending.join('');
      pending = [];
      size = 0;
    }
  }
  if (pending.length > 0) yield pending.join('');
}

const CHUNK = 1 << 20;

const WRITE_ERRORS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EEXIST: 'a file is in the way of a folder on its path',
  ENOTDIR: 'a file is in the way of a folder on its path',
  EISDIR: 'it is a folder',
  ENOENT: 'its folder cannot be created there',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
};

/**
 * Create the missing folders of `dir`, one level at a time from the nearest existing one. Node's
 * own recursive mkdirSync never returns for some paths (`/proc/x/y` on Node 20): a stuck CI job.
 */
function makeFolders(dir: string): void {
  const missing: string[] = [];
  let at = dir;
  while (!fs.existsSync(at)) {
    missing.push(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const folder of missing.reverse()) fs.mkdirSync(folder);
}

/** A single self-overwriting line on a terminal's stderr, at most a few updates a second. */
function progressLine(io: CliIo): { update: (done: number, total: number) => void; clear: () => void } {
  let shown = false;
  let last = -1;
  return {
    update(done, total) {
      const step = Math.floor((done / Math.max(total, 1)) * 50);
      if (step === last) return;
      last = step;
      shown = true;
      io.stderr.write(`\r\x1b[2Kreading manifests ${done}/${total}`);
    },
    clear() {
      if (shown) io.stderr.write('\r\x1b[2K');
    },
  };
}
