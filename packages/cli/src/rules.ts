import { MANIFEST_CODES } from '@shipshape/manifests';
import { POLICY_CODES } from '@shipshape/policy';
import type { RuleInfo } from '@shipshape/report';
import { SCHEMA_CODES } from '@shipshape/schema';

/** Diagnostic codes for tree entries that are not read, as the check reports them. */
const FILE_CODES: readonly RuleInfo[] = [
  {
    code: 'file/symlink-outside-tree',
    title: 'Symbolic link leaves the tree',
    help: 'Links that point outside the checked folder or repository are never followed, so a manifest repository cannot make the checker read other files.',
    defaultSeverity: 'warning',
  },
  {
    code: 'file/symlink-broken',
    title: 'Broken symbolic link',
    help: 'The link points to nothing.',
    defaultSeverity: 'warning',
  },
  {
    code: 'file/symlink-loop',
    title: 'Symbolic link loop',
    help: 'The link leads back into itself.',
    defaultSeverity: 'warning',
  },
  {
    code: 'file/submodule',
    title: 'Git submodule',
    help: 'Submodules are separate repositories and are not read.',
    defaultSeverity: 'info',
  },
  {
    code: 'file/special-file',
    title: 'Not a regular file',
    help: 'Sockets, FIFOs and devices are skipped.',
    defaultSeverity: 'info',
  },
  {
    code: 'file/unreadable',
    title: 'Unreadable file',
    help: 'The file or folder could not be read; check permissions.',
    defaultSeverity: 'error',
  },
];

/**
 * Every diagnostic code `shipshape check` can report, with a title and help text.
 *
 * @example
 * ```ts
 * RULES.find((r) => r.code === 'yaml/syntax')?.title; // 'YAML syntax error'
 * ```
 */
const CONFIG_CODES: readonly RuleInfo[] = [
  {
    code: 'kustomize/not-rendered',
    title: 'Kustomize overlay not rendered',
    help: 'diff, health --desired and render read files as written; this kustomization would transform or add objects (a prefix, a namespace, patches, generators, bases outside its folder), so an answer built on its files would be wrong. Give them the output of `kubectl kustomize` instead. `check` validates the files as written and does not report it.',
    defaultSeverity: 'error',
  },
  {
    code: 'config/unused-exception',
    title: 'Config exception matches nothing',
    help: 'An entry under `exceptions` in shipshape.yaml accepts no finding; remove it or fix its selectors, so exceptions stay meaningful.',
    defaultSeverity: 'warning',
  },
  {
    code: 'config/expired-exception',
    title: 'Config exception expired',
    help: 'An entry under `exceptions` in shipshape.yaml is past its `expires` day (UTC), so it no longer accepts findings and they are reported again. Fix them, or renew the exception with a later day and a reason that still holds.',
    defaultSeverity: 'warning',
  },
  {
    code: 'check/base-unchecked',
    title: 'Base ref not checked',
    help: 'With --changed-since, shipshape also checks the tree at the base ref, to show findings a change causes in files it did not touch (a changed PodDisruptionBudget selector leaves an unchanged Deployment uncovered). Either the base could not be checked (its config does not load, say), so only findings in changed files are shown; or a file every resource is judged by changed outside the tree (a --policy file or module, a config given by path), which the base check would read as it is now, so every finding is shown.',
    defaultSeverity: 'info',
  },
  {
    code: 'check/claim-resize-refused',
    title: 'A claim grows where its StorageClass does not allow it',
    help: 'With --changed-since, a PersistentVolumeClaim whose storage request the change raises is resized by the sync, which the API server (its PersistentVolumeClaimResize admission) refuses unless the claim\'s StorageClass sets `allowVolumeExpansion: true`: "only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize". Reported when the class is `""` or is a StorageClass in the repository without it (a claim that names no class has the repository\'s default class, when it has exactly one); a class the repository does not hold is not judged. Set `allowVolumeExpansion: true` on the class first (it may be changed), or keep the size.',
    defaultSeverity: 'error',
  },
  {
    code: 'check/destructive-prune',
    title: 'The change prunes an object that takes more with it',
    help: 'With --changed-since, an object the changed files held at the base ref that no checked file holds now is deleted by a pruning sync (Argo CD prune, Flux `prune: true`). For three kinds that deletes more than the object: a Namespace takes every object in it, a CustomResourceDefinition every custom resource of its kind, a PersistentVolumeClaim its volume and data when the volume is reclaimed with Delete (the default of dynamically provisioned volumes). If the deletion is not meant, keep the object in the repository or opt it out of pruning (Argo CD `argocd.argoproj.io/sync-options: Prune=false`, or `Prune=confirm` to be asked first; Flux `kustomize.toolkit.fluxcd.io/prune: disabled`; Helm `helm.sh/resource-policy: keep`); if it is, add an exception. Objects that opt out, ask for confirmation, or are hooks are not reported.',
    defaultSeverity: 'warning',
  },
];

export const RULES: readonly RuleInfo[] = [
  ...MANIFEST_CODES,
  ...SCHEMA_CODES,
  ...FILE_CODES,
  ...POLICY_CODES,
  ...CONFIG_CODES,
];
