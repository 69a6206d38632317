import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** js-yaml's `loadAll`, narrowed to the one call the baseline makes. */
export type LoadAll = (text: string) => unknown[];

/** What the baseline saw in one tree. */
export interface BaselineCount {
  readonly files: number;
  /** Non-empty documents returned by `loadAll`. */
  readonly documents: number;
  /** Files whose `loadAll` threw; their documents are not counted. */
  readonly failedFiles: number;
}

const MANIFEST_FILE = /\.(?:ya?ml|json)$/i;

/**
 * Load the js-yaml that `@shipshape/manifests` itself imports (its ESM build, through that
 * package's own dependency link), so both sides of the ratio run the very same parser code. The
 * bench folder has no dependencies of its own, and the root must not gain one for this.
 */
export async function loadJsYaml(): Promise<LoadAll> {
  const fromManifests = createRequire(new URL('../packages/manifests/package.json', import.meta.url));
  const manifestPath = fromManifests.resolve('js-yaml/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports?: { '.'?: { import?: string } };
    module?: string;
  };
  const entry = manifest.exports?.['.']?.import ?? manifest.module;
  if (entry === undefined) throw new Error(`no ESM entry in ${manifestPath}`);
  const mod = (await import(pathToFileURL(join(dirname(manifestPath), entry)).href)) as { loadAll?: unknown };
  if (typeof mod.loadAll !== 'function') throw new Error(`js-yaml at ${manifestPath} has no loadAll`);
  return mod.loadAll as LoadAll;
}

/**
 * Every `*.yaml`, `*.yml` and `*.json` file under `root`, sorted. Part of the timed baseline, since
 * `check` has to find its files too.
 */
export function listManifestFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && MANIFEST_FILE.test(entry.name)) found.push(path);
    }
  };
  walk(root);
  return found.sort();
}

/**
 * The floor `check` is measured against: walk `root`, read each manifest file with
 * `readFileSync` and parse it with `loadAll`, nothing else.
 */
export function parseWithJsYaml(root: string, loadAll: LoadAll): BaselineCount {
  const files = listManifestFiles(root);
  let documents = 0;
  let failedFiles = 0;
  for (const file of files) {
    try {
      for (const document of loadAll(readFileSync(file, 'utf8'))) {
        if (document !== null && document !== undefined) documents += 1;
      }
    } catch {
      failedFiles += 1;
    }
  }
  return { files: files.length, documents, failedFiles };
}
