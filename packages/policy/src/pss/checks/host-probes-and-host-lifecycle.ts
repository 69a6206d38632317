import { type ContainerRef, isObject } from '../../workloads.js';
import type { PssCheck } from '../check.js';
import { yaml } from '../dedent.js';
import type { PodSecurityFinding } from '../model.js';
import {
  containerList,
  finding,
  isUnset,
  joinQuote,
  objectAt,
  type PodView,
  pluralize,
  show,
  sortedUnique,
} from '../pod-view.js';

const REASON = 'probe or lifecycle host';
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HOOKS = ['postStart', 'preStop'] as const;
const ACTIONS = ['httpGet', 'tcpSocket'] as const;
/** Where each handler is, as pointer tokens below the container. */
const HANDLERS: readonly string[] = [...PROBES, ...HOOKS.map((h) => `lifecycle/${h}`)];

/** Whether an `httpGet` or `tcpSocket` of a probe or hook names a host. */
function namesHost(handler: Record<string, unknown> | undefined): boolean {
  if (handler === undefined) return false;
  for (let i = 0; i < ACTIONS.length; i++) {
    const target = handler[ACTIONS[i] as string];
    const host = isObject(target) ? target['host'] : undefined;
    if (!isUnset(host) && host !== '') return true;
  }
  return false;
}

/** Whether some probe or hook names a host: the test alone, allocating nothing. */
function anyHost(pod: PodView): boolean {
  const containers = pod.containers;
  for (let i = 0; i < containers.length; i++) {
    const container = (containers[i] as ContainerRef).container;
    for (let p = 0; p < PROBES.length; p++) {
      if (namesHost(objectAt(container, PROBES[p] as string))) return true;
    }
    const lifecycle = objectAt(container, 'lifecycle');
    for (let h = 0; h < HOOKS.length; h++) {
      if (namesHost(objectAt(lifecycle, HOOKS[h] as string))) return true;
    }
  }
  return false;
}

/**
 * Probes and lifecycle hooks aimed at another host: `.host` of `httpGet` and `tcpSocket` in every
 * probe and hook. The kubelet makes those requests from the node, so a host lets a pod reach
 * anything the node can.
 */
export const hostProbesAndHostLifecycle: PssCheck = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  variants: [
    {
      since: 34,
      evaluate(pod) {
        // Most pods pass: tested first, they build no lists.
        if (!anyHost(pod)) return undefined;
        const bad = new Set<string>();
        const hosts: string[] = [];
        const findings: PodSecurityFinding[] = [];
        for (const c of pod.containers) {
          const lifecycle = objectAt(c.container, 'lifecycle');
          // Probes, then hooks; no list of handlers per container (this runs on every pod).
          for (let i = 0; i < HANDLERS.length; i++) {
            const where = HANDLERS[i] ?? '';
            const handler =
              i < PROBES.length
                ? objectAt(c.container, where)
                : objectAt(lifecycle, HOOKS[i - PROBES.length] ?? '');
            if (handler === undefined) continue;
            for (const action of ACTIONS) {
              const target = handler?.[action];
              const host = isObject(target) ? target['host'] : undefined;
              if (isUnset(host) || host === '') continue;
              bad.add(c.name);
              hosts.push(show(host));
              const field = `${where.replace('/', '.')}.${action}.host`;
              findings.push(
                finding(REASON, `container "${c.name}" must not set ${field} ("${show(host)}")`, {
                  path: `${c.pointer}/${where}/${action}/host`,
                }),
              );
            }
          }
        }
        if (bad.size === 0) return undefined;
        const names = sortedUnique(bad);
        const unique = sortedUnique(hosts);
        return {
          reason: REASON,
          detail: `${containerList(names)} ${pluralize('uses', 'use', names.length)} ${pluralize(REASON, `${REASON}s`, unique.length)} ${joinQuote(unique)}`,
          findings,
        };
      },
    },
  ],
  docs: {
    summary: 'Probes and lifecycle hooks target the pod itself, not another host.',
    details:
      'The kubelet runs `httpGet` and `tcpSocket` probes and lifecycle hooks from the node. With a ' +
      '`host` they can reach any address the node can (the cloud metadata service, the API server, ' +
      'other nodes): a pod could use them to probe or poke what it cannot reach itself. Remove `host` ' +
      'from `livenessProbe`, `readinessProbe`, `startupProbe` and `lifecycle.postStart`/`preStop` ' +
      "(the pod's IP is the default) and send a `Host` header with `httpHeaders` if a virtual host is " +
      'needed. Part of baseline from policy v1.34; earlier versions do not check it.',
    examples: [
      {
        title: "a probe on the pod's own address",
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
          spec:
            containers:
              - name: app
                image: nginx:1.27
                livenessProbe:
                  httpGet:
                    path: /healthz
                    port: 8080
                    httpHeaders:
                      - name: Host
                        value: web.example.com
        `,
        reports: [],
      },
      {
        title: 'a probe and a hook aimed at other hosts',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
          spec:
            containers:
              - name: app
                image: nginx:1.27
                readinessProbe:
                  tcpSocket:
                    host: 169.254.169.254
                    port: 80
                lifecycle:
                  preStop:
                    httpGet:
                      host: internal.example.com
                      path: /drain
                      port: 8080
        `,
        reports: [
          '/spec/containers/0/readinessProbe/tcpSocket/host',
          '/spec/containers/0/lifecycle/preStop/httpGet/host',
        ],
      },
    ],
  },
};
