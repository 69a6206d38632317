/**
 * Why an entry of a tree is not listed as a file, in a stable order.
 *
 * @example
 * ```ts
 * SKIP_REASONS.includes('submodule'); // true
 * ```
 */
export const SKIP_REASONS = [
  'symlink-outside-tree',
  'symlink-broken',
  'symlink-loop',
  'submodule',
  'special-file',
  'unreadable',
] as const;

/**
 * One of {@link SKIP_REASONS}.
 *
 * @example
 * ```ts
 * const reason: SkipReason = 'symlink-broken';
 * ```
 */
export type SkipReason = (typeof SKIP_REASONS)[number];

/**
 * A regular file of a {@link FileTree}.
 *
 * @example
 * ```ts
 * const entry: TreeEntry = { path: 'apps/web/deployment.yaml', size: 412 };
 * ```
 */
export interface TreeEntry {
  /** Repository-relative POSIX path, no leading `./` or `/`. */
  readonly path: string;
  /** Size in bytes, where it is known without reading the file (memory trees only). */
  readonly size?: number;
  /**
   * Where a folder tree reads the file from: its real path, links inside the tree resolved, so a
   * file listed twice (`apps/web.yaml` and `link/web.yaml` through a linked folder) has one.
   */
  readonly real?: string;
}

/**
 * An entry a tree could not or would not list as a file, with the reason.
 *
 * @example
 * ```ts
 * const skipped: SkippedEntry = { path: 'secrets', reason: 'symlink-outside-tree', detail: '../../etc' };
 * ```
 */
export interface SkippedEntry {
  readonly path: string;
  readonly reason: SkipReason;
  /** The symlink target, the error code, or the submodule commit, where there is one. */
  readonly detail?: string;
}

/**
 * What {@link FileTree.list} returns: files and skipped entries, each sorted by path (code-unit order).
 *
 * @example
 * ```ts
 * const listing: TreeListing = { files: [{ path: 'a.yaml' }], skipped: [] };
 * ```
 */
export interface TreeListing {
  readonly files: readonly TreeEntry[];
  readonly skipped: readonly SkippedEntry[];
}

/**
 * Options of {@link FileTree.list}.
 *
 * @example
 * ```ts
 * const options: ListOptions = { prefix: 'apps/web' };
 * ```
 */
export interface ListOptions {
  /**
   * List only below this folder (repository-relative; `''` or `.` is the whole tree). Listed paths
   * stay relative to the root. A missing folder throws `path-not-found`, a file `not-a-directory`.
   */
  readonly prefix?: string;
}

/**
 * A read-only tree of files: a folder, a git ref or an in-memory map. Parsing, rendering and checking
 * only ever see this interface.
 *
 * @example
 * ```ts
 * const tree: FileTree = memoryTree({ 'a.yaml': 'kind: ConfigMap' });
 * const { files } = await tree.list();
 * const text = new TextDecoder().decode(await tree.read(files[0].path));
 * ```
 */
export interface FileTree {
  /** For messages: e.g. the folder path, or `<dir>@<ref>`. */
  readonly description: string;
  /** The ref as the user gave it, for git trees. */
  readonly ref?: string;
  /**
   * Every regular file below the root (or below `prefix`), sorted by path; `.git/` is never
   * listed. Entries it could not or would not read are in `skipped` with a reason, never silently
   * dropped.
   */
  list(options?: ListOptions): Promise<TreeListing>;
  /**
   * The bytes of the file at `path`. Throws {@link RepoError} `path-not-found` when there is none,
   * `not-a-file` for a folder and `unreadable` for an entry `list` skips.
   */
  read(path: string): Promise<Uint8Array>;
}
