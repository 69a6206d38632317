import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import git from 'isomorphic-git';
import { type CliIo, main } from 'shipshape';

/** A fresh temporary folder holding `files` (path → text). */
export function tempTree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-cli-'));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [p, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), text);
  }
}

let clock = 1_700_000_000;

/** Commit the current state of every file under `dir` (adds and removals) with a fixed author. */
export async function commitAll(dir: string, message: string): Promise<string> {
  for (const [file, , workdir] of await git.statusMatrix({ fs, dir })) {
    if (workdir === 0) await git.remove({ fs, dir, filepath: file });
    else await git.add({ fs, dir, filepath: file });
  }
  clock += 3600;
  return git.commit({
    fs,
    dir,
    message,
    author: { name: 'Ada Lovelace', email: 'ada@example.com', timestamp: clock, timezoneOffset: 0 },
  });
}

export async function initRepo(files: Record<string, string>): Promise<string> {
  const dir = tempTree(files);
  await git.init({ fs, dir, defaultBranch: 'main' });
  return dir;
}

/** Run the CLI in-process and capture what it prints. */
export async function run(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; tty?: boolean },
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    cwd: options.cwd,
    env: options.env ?? {},
    stdout: { write: (t: string) => (stdout += t), isTTY: options.tty ?? false },
    stderr: { write: (t: string) => (stderr += t), isTTY: options.tty ?? false },
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

export const namespace = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
export const configMap = (name: string, value: string, ns = 'web') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\ndata:\n  value: "${value}"\n`;
