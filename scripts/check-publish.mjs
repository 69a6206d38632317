// Package hygiene for every publishable package: publint (package.json and files) and
// are-the-types-wrong (ESM-only profile). Exits 1 on any problem.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const root = new URL('../packages/', import.meta.url);
let failed = false;
for (const name of readdirSync(root).sort()) {
  const dir = new URL(`${name}/`, root).pathname;
  for (const [tool, args] of [
    ['publint', ['--strict']],
    ['attw', ['--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped']],
  ]) {
    try {
      execFileSync('pnpm', ['exec', tool, ...args], { cwd: dir, stdio: 'pipe' });
      console.log(`${name}: ${tool} ok`);
    } catch (error) {
      failed = true;
      console.log(
        `${name}: ${tool} FAILED\n${error.stdout?.toString() ?? ''}${error.stderr?.toString() ?? ''}`,
      );
    }
  }
}
process.exit(failed ? 1 : 0);
