import type Git from 'isomorphic-git';

let loading: Promise<typeof Git> | undefined;

/**
 * isomorphic-git, loaded on first use: reading a folder or an in-memory tree never pays its
 * start-up (about 120 ms on Node 20), which matters to a one-file `shipshape check`.
 */
export function loadGit(): Promise<typeof Git> {
  loading ??= import('isomorphic-git').then((m) => m.default);
  return loading;
}
