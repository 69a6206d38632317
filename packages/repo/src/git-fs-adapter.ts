import type { PromiseFsClient } from 'isomorphic-git';
import type { GitFs } from './git-context.js';
import { createLimiter } from './limit.js';

type AnyFn = (...args: unknown[]) => Promise<unknown>;

// isomorphic-git binds all of these up front, even for read-only commands.
const METHODS = [
  'readFile',
  'writeFile',
  'unlink',
  'readdir',
  'mkdir',
  'rmdir',
  'stat',
  'lstat',
  'readlink',
  'symlink',
] as const;
type Method = (typeof METHODS)[number];
type Methods = Record<Method, AnyFn>;

/**
 * The fs handed to isomorphic-git, wrapping the caller's. Every public isomorphic-git call
 * stats the gitdir, probes the fs with `readFile()`, and for each object tries the loose file
 * (a failed open when it is packed) and lists `objects/pack`. Within one tree or one walk the
 * answers do not change, so this remembers the gitdir's stat and the listings of
 * `objects/pack` and `objects/xx`, answers for loose objects that are not there without a
 * syscall, and keeps at most 64 files open. `refresh` forgets it all, for when the store
 * changed underneath (e.g. `git gc` ran meanwhile).
 */
export interface GitFsAdapter {
  readonly fs: PromiseFsClient;
  refresh(): void;
}

export function adaptGitFs(fs: GitFs, gitdir: string): GitFsAdapter {
  const base = promiseMethods(fs);
  const limit = createLimiter(64);
  const objects = `${gitdir}/objects/`;
  let listings = new Map<string, Promise<unknown>>();
  let looseNames = new Map<string, Promise<ReadonlySet<unknown>>>();
  let gitdirStat: Promise<unknown> | undefined;
  // One error for every expected miss: building an Error (and its stack) per object is costly.
  const absent = Object.assign(new Error('ENOENT: no such loose object'), { code: 'ENOENT' });
  const missing = () => Promise.reject(absent);

  const readdir = (path: unknown, ...rest: unknown[]): Promise<unknown> => {
    if (typeof path !== 'string' || !path.startsWith(objects)) return base.readdir(path, ...rest);
    let listing = listings.get(path);
    if (listing === undefined) {
      listing = base.readdir(path);
      listings.set(path, listing);
    }
    return listing.then((names) => (Array.isArray(names) ? [...(names as unknown[])] : names));
  };

  const readFile = async (path: unknown, ...rest: unknown[]): Promise<unknown> => {
    if (typeof path !== 'string') return missing();
    const loose = looseObjectDir(objects, path);
    if (loose !== undefined) {
      let names = looseNames.get(loose.dir);
      if (names === undefined) {
        names = readdir(loose.dir).then(
          (list) => new Set(Array.isArray(list) ? (list as unknown[]) : []),
          () => new Set(),
        );
        looseNames.set(loose.dir, names);
      }
      if (!(await names).has(loose.name)) return missing();
    }
    return limit(() => base.readFile(path, ...rest));
  };

  const stat = (path: unknown, ...rest: unknown[]): Promise<unknown> => {
    if (path !== gitdir) return base.stat(path, ...rest);
    gitdirStat ??= base.stat(path);
    return gitdirStat;
  };

  return {
    fs: { promises: { ...base, readdir, readFile, stat } },
    refresh() {
      listings = new Map();
      looseNames = new Map();
      gitdirStat = undefined;
    },
  };
}

/** `objects/ab/cdef…` → the folder and file name; `undefined` for any other path. */
function looseObjectDir(objects: string, path: string): { dir: string; name: string } | undefined {
  if (!path.startsWith(objects)) return undefined;
  const rest = path.slice(objects.length);
  if (!/^[0-9a-f]{2}\/[0-9a-f]{38}$/.test(rest)) return undefined;
  return { dir: objects + rest.slice(0, 2), name: rest.slice(3) };
}

/** The caller's fs as promise functions, whether it has `promises` or takes callbacks. */
function promiseMethods(fs: GitFs): Methods {
  const source = ('promises' in fs ? fs.promises : fs) as unknown as Record<string, unknown>;
  const callbacks = !('promises' in fs);
  const methods = {} as Methods;
  for (const name of METHODS) {
    const fn = source[name];
    if (typeof fn !== 'function') {
      methods[name] = () => Promise.reject(new Error(`the fs passed in has no ${name}()`));
      continue;
    }
    const bound = (fn as (...args: unknown[]) => unknown).bind(source);
    methods[name] = callbacks
      ? (...args) =>
          new Promise((resolve, reject) => {
            bound(...args, (error: Error | null, value: unknown) => (error ? reject(error) : resolve(value)));
          })
      : (...args) => Promise.resolve(bound(...args));
  }
  return methods;
}
