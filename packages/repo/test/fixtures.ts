// The repositories several test files share, built once per file.
import * as fs from 'node:fs';
import git from 'isomorphic-git';
import { Repo } from './git-fixture.js';

export interface HistoryRepo {
  readonly repo: Repo;
  /** main: c1 add, c2 modify deploy, c3 modify README, c4 delete deploy, c5 re-add deploy, m merge. */
  readonly c: { c1: string; c2: string; c3: string; c4: string; c5: string; f1: string; m: string };
}

export const DEPLOY = 'apps/web/deploy.yaml';
export const SERVICE = 'apps/web/svc.yaml';

/**
 * main:    c1 ─ c2 ─ c3 ─ c4 ─ c5 ─ m
 *                 \               /
 * feature:         f1 ───────────┘   (f1 changes the service)
 * Tags: v1 (lightweight, c1), v2 (annotated, c2). Remote branch origin/main at c3.
 */
export async function historyRepo(prefix: string): Promise<HistoryRepo> {
  const repo = await Repo.init(prefix);
  const c1 = await repo.commit('Add web\n\nFirst version of the web app.\n', 1, {
    [DEPLOY]: 'kind: Deployment\nreplicas: 1\n',
    [SERVICE]: 'kind: Service\n',
    'README.md': '# manifests\n',
  });
  const c2 = await repo.commit('Scale web to 2', 2, { [DEPLOY]: 'kind: Deployment\nreplicas: 2\n' });
  await repo.branch('feature');
  const c3 = await repo.commit('Touch README', 3, { 'README.md': '# manifests\n\nmore\n' });
  const c4 = await repo.commit('Remove web deployment', 4, { [DEPLOY]: null });
  const c5 = await repo.commit('Bring web back', 5, { [DEPLOY]: 'kind: Deployment\nreplicas: 3\n' });
  await repo.checkout('feature');
  const f1 = await repo.commit('Change service port', 6, { [SERVICE]: 'kind: Service\nport: 8080\n' });
  await repo.checkout('main');
  const m = await repo.commit('Merge feature', 7, { [SERVICE]: 'kind: Service\nport: 8080\n' }, [c5, f1]);
  await repo.tag('v1', c1);
  await repo.annotatedTag('v2', 'Release 2', c2);
  await git.writeRef({ fs, dir: repo.dir, ref: 'refs/remotes/origin/main', value: c3 });
  return { repo, c: { c1, c2, c3, c4, c5, f1, m } };
}
