import { ownString, type Resource, sharedString } from '@shipshape/core';
import type { Finding, HeldFinding } from '../rule.js';
import { dig } from '../workloads.js';
import { type CompiledSelector, compiledSelects, compileSelector, type LabelSet } from './label-selector.js';
import { polaris } from './locate.js';
import { nameOf } from './show-value.js';

// What `bp/pdb-sane` keeps to compare a PodDisruptionBudget's minAvailable with the minReplicas of
// the HorizontalPodAutoscaler scaling the workload it selects (Polaris
// `pdbMinAvailableGreaterThanHPAMinReplicas`).

/** Workload kinds with a pod template that an autoscaler may scale (its `scaleTargetRef.kind`). */
export const SCALED_KINDS: readonly string[] = [
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
];

const DATA = polaris('pdbMinAvailableGreaterThanHPAMinReplicas');

/**
 * Pod templates by namespace, as written: a workload written twice (two overlays in one run) has
 * two entries.
 */
export type Workloads = Map<string, PodTemplate[]>;

/** The pod template labels of a workload an autoscaler may scale. */
export interface PodTemplate {
  /** One of {@link SCALED_KINDS}. */
  readonly kind: string;
  /** The workload's name (its identity's own copy). */
  readonly name: string;
  readonly labels: LabelSet;
}

/** An autoscaler that scales a workload of {@link SCALED_KINDS}. */
export interface Autoscaler {
  readonly namespace: string;
  /** The workload it scales, `Kind/name`. */
  readonly target: string;
  readonly name: string;
  /** `spec.minReplicas`, or 1 when unset (the API server's default). */
  readonly minReplicas: number;
  readonly defaulted: boolean;
}

/** A budget with a usable `minAvailable`: a pod count or a percentage of the workload's scale. */
export interface Budget {
  /** Kept to place findings from `finish`: a resource reads its object again when asked. */
  readonly resource: Resource;
  readonly namespace: string;
  readonly name: string;
  /** Read once, to be matched with the pod templates of its namespace. */
  readonly selector: CompiledSelector;
  readonly count: number | undefined;
  readonly percent: number | undefined;
  /** Findings held while the budget's file was at hand, by the autoscaler they name. */
  readonly held: Map<Autoscaler, HeldFinding>;
}

/** The autoscaler a HorizontalPodAutoscaler is, or undefined when it scales nothing comparable. */
export function autoscalerOf(resource: Resource): Autoscaler | undefined {
  const spec = dig(resource.object, 'spec');
  const kind = dig(spec, 'scaleTargetRef', 'kind');
  const name = dig(spec, 'scaleTargetRef', 'name');
  if (typeof kind !== 'string' || !SCALED_KINDS.includes(kind) || typeof name !== 'string') return undefined;
  const written = dig(spec, 'minReplicas');
  const defaulted = written === undefined || written === null;
  let minReplicas = 1;
  if (!defaulted) {
    // 0 needs the HPAScaleToZero feature gate; with no pod left there is nothing to evict.
    if (typeof written !== 'number' || !Number.isInteger(written) || written < 1) return undefined;
    minReplicas = written;
  }
  return {
    namespace: sharedString(resource.id.namespace),
    target: ownString(`${kind}/${name}`),
    name: ownString(nameOf(resource)),
    minReplicas,
    defaulted,
  };
}

/**
 * The budget a PodDisruptionBudget is, when its `minAvailable` is a count (an integer) or a
 * percentage (`N%`), the only forms the API server accepts; undefined otherwise.
 */
export function budgetOf(resource: Resource): Budget | undefined {
  const spec = dig(resource.object, 'spec');
  const minAvailable = dig(spec, 'minAvailable');
  let count: number | undefined;
  let percent: number | undefined;
  if (typeof minAvailable === 'number' && Number.isInteger(minAvailable) && minAvailable >= 0)
    count = minAvailable;
  else if (typeof minAvailable === 'string' && /^[0-9]+%$/.test(minAvailable))
    percent = Number.parseInt(minAvailable, 10);
  else return undefined;
  return {
    resource,
    namespace: sharedString(resource.id.namespace),
    name: ownString(nameOf(resource)),
    // compileSelector keeps its own copies of the strings.
    selector: compileSelector(dig(spec, 'selector')),
    count,
    percent,
    held: new Map(),
  };
}

/**
 * The pods the budget keeps when the autoscaler's workload runs `minReplicas`: a count as written,
 * a percentage of `minReplicas` rounded up, as the disruption controller rounds it.
 */
function requiredAt(budget: Budget, replicas: number): number {
  return budget.count ?? Math.ceil(((budget.percent ?? 0) * replicas) / 100);
}

/**
 * Whether the budget leaves no eviction once the autoscaler is at its minimum: it requires as many
 * pods as `minReplicas`, or more (the disruption controller allows healthy minus required).
 */
export function blocksAtMinimum(budget: Budget, autoscaler: Autoscaler): boolean {
  return requiredAt(budget, autoscaler.minReplicas) >= autoscaler.minReplicas;
}

/** The workloads (`Kind/name`) of the budget's namespace whose pod template it selects. */
export function selectedWorkloads(budget: Budget, workloads: Workloads): Set<string> {
  const out = new Set<string>();
  const templates = workloads.get(budget.namespace);
  if (!templates) return out;
  for (let i = 0; i < templates.length; i++) {
    const t = templates[i] as PodTemplate;
    if (compiledSelects(budget.selector, t.labels)) out.add(`${t.kind}/${t.name}`);
  }
  return out;
}

/** The finding on the budget's `minAvailable`, naming the autoscaler and its minimum. */
export function starvedFinding(budget: Budget, autoscaler: Autoscaler): Finding {
  const min = autoscaler.minReplicas;
  const required = requiredAt(budget, min);
  const written = budget.count === undefined ? `${budget.percent}% of ${min}` : `${budget.count}`;
  const minimum = autoscaler.defaulted ? 'minReplicas unset, so 1' : `minReplicas ${min}`;
  const workload = autoscaler.target.replace('/', ' ');
  return {
    path: '/spec/minAvailable',
    message: `PodDisruptionBudget ${budget.name} keeps ${required} pod(s) of ${workload} available (minAvailable ${written}), but HorizontalPodAutoscaler ${autoscaler.name} may scale it down to ${min} (${minimum}): then no pod may be evicted and node drains hang; set minAvailable below ${min} or use maxUnavailable: 1`,
    data: DATA,
  };
}
