export {
  CHANGE_KINDS,
  type ChangedPathsOptions,
  type ChangeKind,
  changedPaths,
  type PathChange,
} from './changed-paths.js';
export type { CommitSummary } from './commit-summary.js';
export {
  type FileTree,
  type ListOptions,
  SKIP_REASONS,
  type SkippedEntry,
  type SkipReason,
  type TreeEntry,
  type TreeListing,
} from './file-tree.js';
export type { FolderDirent, FolderFs, FolderStats } from './folder-fs.js';
export { folderTree } from './folder-tree.js';
export type { GitFs, GitRepoOptions } from './git-context.js';
export { type GitFileTree, type GitTreeOptions, gitTree } from './git-tree.js';
export { type CommitInfo, type HistoryOptions, history } from './history.js';
export { type LogOptions, log } from './log.js';
export { type MemoryTreeOptions, memoryTree } from './memory-tree.js';
export { type ReadFileAtOptions, readFileAt } from './read-file-at.js';
export { REPO_ERROR_CODES, RepoError, type RepoErrorCode } from './repo-error.js';
