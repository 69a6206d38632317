/// <reference types="node" />
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  type AppSpec,
  autoscaler,
  configMap,
  deployment,
  ingress,
  list,
  namespaceManifests,
  type Random,
  roleAndBinding,
  service,
  serviceAccount,
} from './manifest-templates.js';
import { type Json, toYaml } from './to-yaml.js';

/** Options of {@link generateRepo}. */
export interface GenerateRepoOptions {
  /** Seed of the pseudo-random choices; the same seed writes the same bytes. Default 1. */
  readonly seed?: number;
}

/** What {@link generateRepo} wrote. */
export interface GeneratedRepo {
  readonly files: number;
  /** Kubernetes objects, counting each item of a `kind: List` and not the List itself. */
  readonly resources: number;
  /** YAML documents and JSON files; a List is one document. */
  readonly documents: number;
  readonly bytes: number;
}

type Manifest = { [key: string]: Json };
type FileFormat = 'yaml' | 'json' | 'list';
interface PlannedFile {
  readonly path: string;
  readonly format: FileFormat;
  readonly manifests: Manifest[];
}

const TEAMS = [
  'payments',
  'checkout',
  'search',
  'identity',
  'platform',
  'data',
  'ml',
  'growth',
  'mobile',
  'ads',
  'billing',
  'catalog',
  'fulfilment',
  'support',
  'messaging',
  'media',
  'risk',
  'pricing',
] as const;
const APP_WORDS = [
  'orders',
  'ledger',
  'auth',
  'profile',
  'inventory',
  'notify',
  'report',
  'index',
  'cart',
  'quote',
];
const APP_ROLES = ['api', 'worker', 'gateway', 'frontend', 'sync', 'scheduler', 'consumer'];

/**
 * Write a GitOps repository of exactly `resources` Kubernetes objects into `dir`: one
 * `namespaces/<team>.yaml` per team (Namespace, ResourceQuota, LimitRange) and
 * `apps/<team>/<app>/` folders holding a Deployment (probes, resources, env), Service, ConfigMaps,
 * ServiceAccount and often an Ingress, Role/RoleBinding and HorizontalPodAutoscaler. Most apps use
 * one file per object; some bundle everything in one multi-document file, some write JSON, and a
 * few wrap their ConfigMaps in a `kind: List`. Deterministic for a seed.
 *
 * @example
 * ```ts
 * const dir = mkdtempSync(join(tmpdir(), 'shipshape-bench-'));
 * const { files, resources } = generateRepo(dir, 30_000, { seed: 7 });
 * ```
 */
export function generateRepo(
  dir: string,
  resources: number,
  options: GenerateRepoOptions = {},
): GeneratedRepo {
  if (!Number.isSafeInteger(resources) || resources < 0) {
    throw new RangeError(`resources must be a non-negative integer, got ${resources}`);
  }
  const random = createRandom(options.seed ?? 1);
  const totals = { files: 0, resources: 0, documents: 0, bytes: 0 };
  for (let teamIndex = 0; totals.resources < resources; teamIndex++) {
    const team = teamName(teamIndex);
    const planned: PlannedFile[] = [
      { path: `namespaces/${team}.yaml`, format: 'yaml', manifests: namespaceManifests(team, random) },
    ];
    const used = new Set<string>();
    for (let app = random.int(15, 45); app > 0; app--) planned.push(...planApp(team, used, random));
    for (const file of planned) {
      const room = resources - totals.resources;
      if (room === 0) break;
      writePlannedFile(dir, file, room, team, totals);
    }
  }
  return totals;
}

function planApp(team: string, used: Set<string>, random: Random): PlannedFile[] {
  let name = `${random.pick(APP_WORDS)}-${random.pick(APP_ROLES)}`;
  if (used.has(name)) name = `${name}-${used.size}`;
  used.add(name);
  const app: AppSpec = {
    team,
    name,
    namespace: team,
    image: `registry.example.com/${team}/${name}:1.${random.int(0, 40)}.${random.int(0, 9)}`,
    replicas: random.int(1, 6),
    port: random.pick([8080, 8000, 3000, 9000]),
    host: `${name}.${team}.example.com`,
  };
  const configs = [configMap(app, random)];
  if (random.chance(0.3)) configs.push(configMap(app, random, 'feature-flags'));
  const workload = [serviceAccount(app, random), deployment(app, random), service(app)];
  const extras: Manifest[] = [];
  if (random.chance(0.5)) extras.push(ingress(app));
  if (random.chance(0.6)) extras.push(...roleAndBinding(app));
  if (random.chance(0.3)) extras.push(autoscaler(app, random));

  const folder = `apps/${team}/${name}`;
  const layout = random.int(1, 100);
  if (layout <= 25) {
    return [
      { path: `${folder}/${name}.yaml`, format: 'yaml', manifests: [...configs, ...workload, ...extras] },
    ];
  }
  if (layout <= 32) {
    return [
      {
        path: `${folder}/config.yaml`,
        format: 'list',
        manifests: [...configs, configMap(app, random, 'env')],
      },
      { path: `${folder}/resources.yaml`, format: 'yaml', manifests: [...workload, ...extras] },
    ];
  }
  const format: FileFormat = layout <= 40 ? 'json' : 'yaml';
  const ext = format === 'json' ? 'json' : 'yaml';
  const files: PlannedFile[] = [
    { path: `${folder}/configmap.yaml`, format: 'yaml', manifests: configs },
    ...workload.map((m) => ({ path: `${folder}/${fileStem(m)}.${ext}`, format, manifests: [m] })),
  ];
  const rbac = extras.filter((m) => kindOf(m).startsWith('Role'));
  if (rbac.length > 0) files.push({ path: `${folder}/rbac.yaml`, format: 'yaml', manifests: rbac });
  for (const m of extras) {
    if (!rbac.includes(m))
      files.push({ path: `${folder}/${fileStem(m)}.yaml`, format: 'yaml', manifests: [m] });
  }
  return files;
}

/** Write `file`, truncated to `room` resources, and add what was written to `totals`. */
function writePlannedFile(
  root: string,
  file: PlannedFile,
  room: number,
  team: string,
  totals: { files: number; resources: number; documents: number; bytes: number },
): void {
  const manifests = file.manifests.slice(0, room);
  let text: string;
  if (file.format === 'json') {
    text = JSON.stringify(manifests[0], null, 2) + '\n';
  } else {
    const documents = file.format === 'list' ? [list(manifests)] : manifests;
    const header = `# Owned by team ${team}; changes are reviewed in #gitops.\n`;
    const start = documents.length > 1 ? '---\n' : '';
    text = header + start + documents.map(toYaml).join('---\n');
  }
  const path = join(root, file.path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  totals.files += 1;
  totals.resources += manifests.length;
  totals.documents += file.format === 'list' ? 1 : manifests.length;
  totals.bytes += Buffer.byteLength(text);
}

function fileStem(manifest: Manifest): string {
  const kind = kindOf(manifest);
  return kind === 'HorizontalPodAutoscaler' ? 'hpa' : kind.toLowerCase();
}

function kindOf(manifest: Manifest): string {
  const kind = manifest['kind'];
  return typeof kind === 'string' ? kind : '';
}

function teamName(index: number): string {
  const base = TEAMS[index % TEAMS.length] ?? 'team';
  return index < TEAMS.length ? base : `${base}-${Math.floor(index / TEAMS.length) + 1}`;
}

/** xorshift32: tiny, fast and, above all, the same sequence on every machine for a seed. */
function createRandom(seed: number): Random {
  let state = (Math.imul(seed | 0, 0x9e3779b1) ^ 0x5bd1e995) >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
  return {
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new RangeError('pick() from an empty list');
      return item;
    },
    chance: (probability) => next() < probability,
  };
}

/**
 * The corpus shape kubeconform was measured on (../shared/reference/schema-validation.md §3.1):
 * `files` files, each one set of a Deployment (one container with ports, env, envFrom, resources,
 * probes, securityContext, a volume and a volumeMount), a Service with a named `targetPort`, and a
 * ConfigMap; about 2.1 KB of YAML a set, all valid. Returns the number of resources written.
 */
export function writeKubeconformShapedRepo(dir: string, files: number): number {
  for (let i = 0; i < files; i++) {
    const name = `app-${i}`;
    const folder = join(dir, `team-${i % 30}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${name}.yaml`), kubeconformSet(name, `team-${i % 30}`, i));
  }
  return files * 3;
}

function kubeconformSet(name: string, namespace: string, i: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
  labels:
    app.kubernetes.io/name: ${name}
    app.kubernetes.io/part-of: shop
spec:
  replicas: ${1 + (i % 3)}
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
    spec:
      containers:
        - name: app
          image: registry.example.com/shop/${name}:1.${i % 20}.0
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
          env:
            - name: LOG_LEVEL
              value: info
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
          envFrom:
            - configMapRef:
                name: ${name}-config
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              cpu: "1"
              memory: 256Mi
          readinessProbe:
            httpGet:
              path: /ready
              port: http
            periodSeconds: 10
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            initialDelaySeconds: 5
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          volumeMounts:
            - name: cache
              mountPath: /var/cache/app
      volumes:
        - name: cache
          emptyDir: {}
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${namespace}
  labels:
    app.kubernetes.io/name: ${name}
spec:
  selector:
    app.kubernetes.io/name: ${name}
  ports:
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-config
  namespace: ${namespace}
data:
  FEATURE_FLAGS: "checkout,search"
  CACHE_TTL: "300"
  UPSTREAM_URL: http://catalog.${namespace}.svc.cluster.local
`;
}
