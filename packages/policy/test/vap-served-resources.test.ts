import { readdirSync, readFileSync } from 'node:fs';
import { builtInKind } from '@shipshape/core';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { builtInServing, kubernetesMinor, servedVersions } from '../src/vap/served-resources.js';

// The served-resources table against the facts it comes from: each bundled release's OpenAPI
// documents (every group/version/resource it serves) and the deprecation data (removals).

const SHARED = new URL('../../../../shared/', import.meta.url);
const MINORS = [29, 33, 35] as const;

type Versions = ReadonlyMap<string, ReadonlySet<string>>;

/** `group/resource` → versions whose collection accepts a POST, in one release's OpenAPI. */
function openApiVersions(minor: number): Versions {
  const dir = new URL(`kubernetes-openapi/1.${minor}/v3/`, SHARED);
  const found = new Map<string, Set<string>>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const doc = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as {
      paths?: Record<string, { post?: Record<string, unknown> }>;
    };
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      const gvk = item.post?.['x-kubernetes-group-version-kind'] as
        | { group: string; version: string }
        | undefined;
      const segments = path.split('/');
      const resource = segments.at(-1) ?? '';
      // A collection, not a subresource of one object (`pods/{name}/eviction`).
      if (!gvk || resource.startsWith('{') || segments.at(-2)?.startsWith('{')) continue;
      const key = `${gvk.group}/${resource}`;
      const versions = found.get(key) ?? new Set<string>();
      versions.add(gvk.version);
      found.set(key, versions);
    }
  }
  return found;
}

const releases = new Map(MINORS.map((m) => [m, openApiVersions(m)]));
const allResources = [...new Set([...releases.values()].flatMap((v) => [...v.keys()]))].sort();

/** Groups whose resources the table leaves out, each with the reason. */
const NOT_DESCRIBED: Readonly<Record<string, string>> = {
  'admissionregistration.k8s.io': 'admission configuration: admission policies never see it',
  'authentication.k8s.io': 'reviews, answered and never stored: no manifest holds one',
  'authorization.k8s.io': 'reviews, answered and never stored: no manifest holds one',
};

const sorted = (versions: Iterable<string>) => [...versions].sort();

describe('served resources: the bundled releases', () => {
  it.each(allResources)('%s', (key) => {
    const [group = '', resource = ''] = key.split('/');
    const perRelease = MINORS.map((m) => sorted(releases.get(m)?.get(key) ?? []));
    const described = servedVersions(group, resource, 35) !== undefined;
    if (NOT_DESCRIBED[group] !== undefined) {
      expect(described).toBe(false);
      return;
    }
    const changes = perRelease.some((v) => v.length > 1 || v.join() !== perRelease[0]?.join());
    // A resource with one version in every release needs no entry; any other must have one.
    if (!described) {
      expect(changes, `${key} has several versions or changed; describe it`).toBe(false);
      return;
    }
    MINORS.forEach((minor, i) => {
      expect(sorted(servedVersions(group, resource, minor) ?? []), `1.${minor}`).toEqual(perRelease[i]);
    });
  });
});

interface Deprecation {
  readonly version: string;
  readonly kind: string;
  readonly 'removed-in'?: string;
  readonly 'replacement-api'?: string;
  readonly 'replacement-available-in'?: string;
  readonly component: string;
}

const pluto = load(readFileSync(new URL('deprecations/pluto-versions.yaml', SHARED), 'utf8')) as {
  readonly 'deprecated-versions': readonly Deprecation[];
};
const minorOf = (release: string | undefined) =>
  release ? Number(/^v1\.(\d+)\./.exec(release)?.[1] ?? Number.NaN) : undefined;
const split = (apiVersion: string) => {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
};

/** Entries not checked, each with the reason (by `apiVersion kind`, or a rule). */
function skipReason(entry: Deprecation): string | undefined {
  const [group = ''] = split(entry.version);
  const id = `${entry.version} ${entry.kind}`;
  if (entry.kind.endsWith('List')) return 'a list kind, not a resource';
  if (group === 'audit.k8s.io') return 'audit policy and events are files and logs, not served resources';
  if (NOT_DESCRIBED[group] !== undefined) return NOT_DESCRIBED[group];
  if (id === 'flowcontrol.apiserver.k8s.io/v1beta1 FlowControl') return 'no such kind';
  if (group === 'flowcontrol.apiserver.k8s.io' && split(entry.version)[1] === 'v1beta1')
    // Kubernetes' deprecated API migration guide, and the data's own FlowControl entry, say 1.26.
    return 'v1beta1 FlowSchema and PriorityLevelConfiguration were last served in 1.25, not 1.28';
  return undefined;
}

const entries = pluto['deprecated-versions'].filter((e) => e.component === 'k8s' && e['removed-in']);

describe('served resources: the deprecation data', () => {
  it.each(entries.map((e) => [`${e.version} ${e.kind}`, e] as const))('%s', (_, entry) => {
    const reason = skipReason(entry);
    if (reason !== undefined) {
      expect(reason).not.toBe('');
      return;
    }
    const [group = '', version = ''] = split(entry.version);
    const resource = builtInKind(group, entry.kind)?.resource ?? '';
    const removed = minorOf(entry['removed-in']) ?? 0;
    expect(servedVersions(group, resource, removed - 1), `1.${removed - 1}`).toContain(version);
    expect(servedVersions(group, resource, removed), `1.${removed}`).not.toContain(version);
    const replacement = entry['replacement-api'];
    const since = minorOf(entry['replacement-available-in']);
    if (replacement && since !== undefined) {
      const [toGroup = '', toVersion = ''] = split(replacement);
      const toResource = builtInKind(toGroup, entry.kind)?.resource ?? '';
      expect(servedVersions(toGroup, toResource, since), `${replacement} in 1.${since}`).toContain(toVersion);
    }
  });

  it('checks most entries', () => {
    const checked = entries.filter((e) => skipReason(e) === undefined).length;
    process.stdout.write(`deprecation data: ${checked} of ${entries.length} removals checked\n`);
    expect(checked).toBeGreaterThan(50);
  });
});

describe('served resources: equivalents and versions', () => {
  it('lists the served versions of one storage across groups, without the object’s own', () => {
    expect(builtInServing('apps', 'v1', 'deployments', 35)).toEqual({ served: true, equivalents: [] });
    const at15 = builtInServing('apps', 'v1', 'deployments', 15);
    expect(at15?.equivalents.map((e) => `${e.group}/${e.version}`)).toEqual([
      'apps/v1beta1',
      'apps/v1beta2',
      'extensions/v1beta1',
    ]);
    expect(builtInServing('', 'v1', 'events', 35)?.equivalents).toEqual([
      { group: 'events.k8s.io', version: 'v1', resource: 'events' },
    ]);
    expect(builtInServing('extensions', 'v1beta1', 'ingresses', 21)?.served).toBe(true);
    expect(builtInServing('extensions', 'v1beta1', 'ingresses', 22)?.served).toBe(false);
    expect(builtInServing('', 'v1', 'configmaps', 35)).toBeUndefined();
  });

  it('reads the minor of a Kubernetes version; anything else is newer than every release', () => {
    expect(['1.29', 'v1.31', '1.33.2', 'v1.35.0'].map(kubernetesMinor)).toEqual([29, 31, 33, 35]);
    expect(['2.0', 'latest', '', '1.x', '1.2x'].map(kubernetesMinor)).toEqual([
      Infinity,
      Infinity,
      Infinity,
      Infinity,
      Infinity,
    ]);
  });
});
