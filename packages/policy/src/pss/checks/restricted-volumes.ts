import { isObject, pointerToken } from '../../workloads.js';
import type { PssCheck } from '../check.js';
import { yaml } from '../dedent.js';
import type { PodSecurityFinding } from '../model.js';
import { finding, isUnset, joinQuote, listAt, pluralize, sortedUnique } from '../pod-view.js';

const REASON = 'restricted volume types';

/** Volume sources restricted pods may use: ephemeral, projected API data, or storage claimed through PVCs/CSI. */
const ALLOWED = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/**
 * The volume sources a volume sets, other than the allowed ones. Every other key is a source:
 * the in-tree ones upstream names (hostPath, nfs, gitRepo, …) and any key this version does not
 * know, which could be a newer source, so it is denied too.
 *
 * Two choices differ from upstream's code on objects the API server never lets through, both on
 * the safe side or the server's: a volume that sets an allowed and a restricted source (the server
 * rejects it) is denied; a volume with no source at all passes, because the server defaults it to
 * an `emptyDir` before admission.
 */
function restrictedSources(volume: Record<string, unknown>): string[] {
  return Object.keys(volume).filter((key) => key !== 'name' && !ALLOWED.has(key) && !isUnset(volume[key]));
}

/**
 * Whether a volume may set a restricted source: {@link restrictedSources} without the list. It
 * may say yes for more keys (`for…in` also sees inherited ones); the list then decides.
 */
function mayRestrict(volume: unknown): boolean {
  if (!isObject(volume)) return false;
  for (const key in volume) {
    if (key !== 'name' && !ALLOWED.has(key) && !isUnset(volume[key])) return true;
  }
  return false;
}

/** Volume sources outside the allowed list: `spec.volumes[*]`. */
export const restrictedVolumes: PssCheck = {
  id: 'restrictedVolumes',
  level: 'restricted',
  overrides: 'hostPathVolumes',
  variants: [
    {
      since: 0,
      evaluate(pod) {
        // Most pods pass: tested first, they build no lists.
        if (!listAt(pod.spec, 'volumes').some(mayRestrict)) return undefined;
        const bad: string[] = [];
        const types: string[] = [];
        const findings: PodSecurityFinding[] = [];
        listAt(pod.spec, 'volumes').forEach((volume, i) => {
          if (!isObject(volume)) return;
          const sources = restrictedSources(volume);
          if (sources.length === 0) return;
          const name = typeof volume['name'] === 'string' ? volume['name'] : `#${i}`;
          bad.push(name);
          types.push(...sources);
          for (const source of sources) {
            findings.push(
              finding(REASON, `volume "${name}" uses restricted volume type "${source}"`, {
                path: `${pod.specPointer}/volumes/${i}/${pointerToken(source)}`,
                atKey: true,
              }),
            );
          }
        });
        if (bad.length === 0) return undefined;
        const unique = sortedUnique(types);
        return {
          reason: REASON,
          detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', unique.length)} ${joinQuote(unique)}`,
          findings,
        };
      },
    },
  ],
  docs: {
    summary:
      'Pods use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes.',
    details:
      'In-tree volume plugins (`hostPath`, `nfs`, `iscsi`, `rbd`, `cephfs`, `gitRepo`, cloud disks, …) ' +
      "mount storage with the node's credentials and kernel, outside the control of a " +
      'PersistentVolumeClaim and its StorageClass. The restricted level allows only `configMap`, `csi`, ' +
      '`downwardAPI`, `emptyDir`, `ephemeral`, `image`, `persistentVolumeClaim`, `projected` and `secret`. ' +
      'Claim storage through a PersistentVolumeClaim (an administrator can back it with any plugin). ' +
      'Replaces `pss/hostPathVolumes` at the restricted level, at every policy version.',
    examples: [
      {
        title: 'a claim, a Secret and scratch space',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
          spec:
            containers:
              - name: app
                image: nginx:1.27
            volumes:
              - name: data
                persistentVolumeClaim:
                  claimName: web-data
              - name: tls
                secret:
                  secretName: web-tls
              - name: tmp
                emptyDir: {}
        `,
        reports: [],
      },
      {
        title: 'an NFS share and a hostPath',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
          spec:
            containers:
              - name: app
                image: nginx:1.27
            volumes:
              - name: shared
                nfs:
                  server: nfs.example.com
                  path: /exports/web
              - name: logs
                hostPath:
                  path: /var/log
        `,
        reports: ['/spec/volumes/0/nfs', '/spec/volumes/1/hostPath'],
      },
    ],
  },
};
