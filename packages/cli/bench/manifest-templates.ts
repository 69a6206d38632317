import type { Json } from './to-yaml.js';

type Manifest = { [key: string]: Json };

/** Seeded choices; the generator owns the sequence, templates only draw from it. */
export interface Random {
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
}

/** What varies between generated applications. */
export interface AppSpec {
  readonly team: string;
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  readonly replicas: number;
  readonly port: number;
  readonly host: string;
}

const CPU = ['50m', '100m', '250m', '500m', '1'] as const;
const MEMORY = ['64Mi', '128Mi', '256Mi', '512Mi', '1Gi'] as const;
const LOG_LEVELS = ['debug', 'info', 'warn'] as const;

function labels(app: AppSpec, version?: string): Manifest {
  const result: Manifest = {
    'app.kubernetes.io/name': app.name,
    'app.kubernetes.io/part-of': app.team,
    'app.kubernetes.io/managed-by': 'argocd',
  };
  if (version !== undefined) result['app.kubernetes.io/version'] = version;
  return result;
}

function metadata(app: AppSpec, name: string, extra: Manifest = {}): Manifest {
  return { name, namespace: app.namespace, labels: labels(app), ...extra };
}

export function namespaceManifests(team: string, random: Random): Manifest[] {
  const teamLabels = { 'team.example.com/name': team, 'pod-security.kubernetes.io/enforce': 'restricted' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: team, labels: teamLabels } },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: `${team}-quota`, namespace: team },
      spec: {
        hard: {
          'requests.cpu': String(random.int(8, 64)),
          'requests.memory': `${random.int(16, 256)}Gi`,
          pods: String(random.int(50, 500)),
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: `${team}-defaults`, namespace: team },
      spec: {
        limits: [
          {
            type: 'Container',
            default: { cpu: '500m', memory: '512Mi' },
            defaultRequest: { cpu: '100m', memory: '128Mi' },
          },
        ],
      },
    },
  ];
}

function container(app: AppSpec, random: Random): Manifest {
  const env: Json[] = [
    { name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: `${app.name}-config`, key: 'LOG_LEVEL' } } },
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
  ];
  for (let i = random.int(1, 6); i > 0; i--) {
    env.push({ name: `FEATURE_${i}_ENABLED`, value: random.chance(0.5) ? 'true' : 'false' });
  }
  if (random.chance(0.4)) {
    env.push({
      name: 'DATABASE_PASSWORD',
      valueFrom: { secretKeyRef: { name: `${app.name}-db`, key: 'password' } },
    });
  }
  const probe = (path: string, period: number): Json => ({
    httpGet: { path, port: 'http' },
    initialDelaySeconds: random.int(0, 15),
    periodSeconds: period,
    timeoutSeconds: 2,
    failureThreshold: 3,
  });
  return {
    name: app.name,
    image: app.image,
    imagePullPolicy: 'IfNotPresent',
    args: ['--listen', `:${app.port}`, '--metrics-port', '9090'],
    ports: [
      { name: 'http', containerPort: app.port, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
    ],
    env,
    envFrom: [{ configMapRef: { name: `${app.name}-config` } }],
    resources: {
      requests: { cpu: random.pick(CPU), memory: random.pick(MEMORY) },
      limits: { cpu: '2', memory: '2Gi' },
    },
    livenessProbe: probe('/healthz', 10),
    readinessProbe: probe('/ready', 5),
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [
      { name: 'config', mountPath: '/etc/app', readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
}

export function deployment(app: AppSpec, random: Random): Manifest {
  const version = app.image.slice(app.image.lastIndexOf(':') + 1);
  const containers: Json[] = [container(app, random)];
  if (random.chance(0.2)) {
    containers.push({
      name: 'log-shipper',
      image: 'fluent/fluent-bit:3.1.4',
      resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
      volumeMounts: [{ name: 'tmp', mountPath: '/var/log/app', readOnly: true }],
    });
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(app, app.name, { annotations: { 'argocd.argoproj.io/sync-wave': '1' } }),
    spec: {
      replicas: app.replicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: { 'app.kubernetes.io/name': app.name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: {
          labels: labels(app, version),
          annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' },
        },
        spec: {
          serviceAccountName: app.name,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            fsGroup: 10001,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: { 'app.kubernetes.io/name': app.name } },
            },
          ],
          containers,
          volumes: [
            { name: 'config', configMap: { name: `${app.name}-config` } },
            { name: 'tmp', emptyDir: {} },
          ],
        },
      },
    },
  };
}

export function service(app: AppSpec): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(app, app.name),
    spec: {
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': app.name },
      ports: [
        { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
        { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
      ],
    },
  };
}

export function configMap(app: AppSpec, random: Random, suffix = 'config'): Manifest {
  const settings = [
    `server:`,
    `  port: ${app.port}`,
    `  shutdownTimeout: ${random.int(5, 30)}s`,
    `upstreams:`,
    ...Array.from({ length: random.int(1, 4) }, (_, i) => `  - http://dependency-${i}.${app.namespace}.svc`),
    ``,
  ];
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata(app, `${app.name}-${suffix}`),
    data: {
      LOG_LEVEL: random.pick(LOG_LEVELS),
      CACHE_TTL_SECONDS: String(random.int(30, 3600)),
      TRACING_ENABLED: random.chance(0.5) ? 'true' : 'false',
      'application.yaml': settings.join('\n'),
    },
  };
}

export function ingress(app: AppSpec): Manifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: metadata(app, app.name, {
      annotations: {
        'cert-manager.io/cluster-issuer': 'letsencrypt-prod',
        'nginx.ingress.kubernetes.io/proxy-body-size': '8m',
      },
    }),
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: [app.host], secretName: `${app.name}-tls` }],
      rules: [
        {
          host: app.host,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: app.name, port: { name: 'http' } } },
              },
            ],
          },
        },
      ],
    },
  };
}

export function serviceAccount(app: AppSpec, random: Random): Manifest {
  const annotations: Manifest = random.chance(0.3)
    ? { 'eks.amazonaws.com/role-arn': `arn:aws:iam::123456789012:role/${app.team}-${app.name}` }
    : {};
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: metadata(app, app.name, { annotations }),
    automountServiceAccountToken: false,
  };
}

export function roleAndBinding(app: AppSpec): Manifest[] {
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: metadata(app, `${app.name}-reader`),
      rules: [
        { apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: metadata(app, `${app.name}-reader`),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${app.name}-reader` },
      subjects: [{ kind: 'ServiceAccount', name: app.name, namespace: app.namespace }],
    },
  ];
}

export function autoscaler(app: AppSpec, random: Random): Manifest {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: metadata(app, app.name),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app.name },
      minReplicas: app.replicas,
      maxReplicas: app.replicas * random.int(2, 5),
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
      ],
    },
  };
}

/** A `kind: List` wrapping items, as `kubectl get -o yaml` writes them. */
export function list(items: Manifest[]): Manifest {
  return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items };
}
