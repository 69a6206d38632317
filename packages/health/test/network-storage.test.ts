import { describe } from 'vitest';
import { patch, runCases } from './support.js';

const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'api', namespace: 'web' },
  spec: { type: 'ClusterIP', ports: [{ port: 80 }] },
  status: { loadBalancer: {} },
};

const loadBalancer = patch(service, { spec: { type: 'LoadBalancer' } });

describe('Service', () => {
  runCases([
    { name: 'ClusterIP → Healthy', object: service, want: { status: 'Healthy' } },
    { name: 'NodePort → Healthy', object: patch(service, { spec: { type: 'NodePort' } }), want: 'Healthy' },
    { name: 'no type → Healthy', object: patch(service, { spec: { type: undefined } }), want: 'Healthy' },
    {
      name: 'LoadBalancer without an address → Progressing',
      object: loadBalancer,
      want: { status: 'Progressing' },
    },
    {
      name: 'LoadBalancer with an address → Healthy',
      object: patch(loadBalancer, { status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } } }),
      want: 'Healthy',
    },
    {
      name: 'LoadBalancer with an empty ingress list → Progressing',
      object: patch(loadBalancer, { status: { loadBalancer: { ingress: [] } } }),
      want: 'Progressing',
    },
    {
      name: 'LoadBalancer ingress that is not a list → Unknown',
      object: patch(loadBalancer, { status: { loadBalancer: { ingress: { ip: '203.0.113.10' } } } }),
      want: 'Unknown',
    },
  ]);
});

const ingress = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'api', namespace: 'web' },
  spec: { rules: [{ host: 'api.example.org' }] },
  status: { loadBalancer: { ingress: [{ hostname: 'lb.example.org' }] } },
};

describe('Ingress', () => {
  runCases([
    { name: 'with an address → Healthy', object: ingress, want: { status: 'Healthy' } },
    {
      name: 'without an address → Progressing',
      object: patch(ingress, { status: { loadBalancer: { ingress: undefined } } }),
      want: { status: 'Progressing' },
    },
    { name: 'no status → Progressing', object: patch(ingress, { status: undefined }), want: 'Progressing' },
    {
      name: 'networking.k8s.io/v1beta1 → same rule',
      object: patch(ingress, {
        apiVersion: 'networking.k8s.io/v1beta1',
        status: { loadBalancer: { ingress: [] } },
      }),
      want: 'Progressing',
    },
    {
      name: 'extensions/v1beta1 → same rule',
      object: patch(ingress, { apiVersion: 'extensions/v1beta1' }),
      want: 'Healthy',
    },
  ]);
});

const claim = {
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'db' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  status: { phase: 'Bound' },
};

describe('PersistentVolumeClaim', () => {
  runCases([
    { name: 'Bound → Healthy', object: claim, want: { status: 'Healthy' } },
    {
      name: 'Pending → Progressing',
      object: patch(claim, { status: { phase: 'Pending' } }),
      want: 'Progressing',
    },
    { name: 'Lost → Degraded', object: patch(claim, { status: { phase: 'Lost' } }), want: 'Degraded' },
    { name: 'no phase → Unknown', object: patch(claim, { status: undefined }), want: 'Unknown' },
    {
      name: 'a phase that is a number → Unknown',
      object: patch(claim, { status: { phase: 1 } }),
      want: 'Unknown',
    },
  ]);
});

const apiService = {
  apiVersion: 'apiregistration.k8s.io/v1',
  kind: 'APIService',
  metadata: { name: 'v1beta1.metrics.k8s.io' },
  spec: {
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    service: { name: 'metrics-server', namespace: 'kube-system' },
  },
  status: {
    conditions: [{ type: 'Available', status: 'True', reason: 'Passed', message: 'all checks passed' }],
  },
};

describe('APIService', () => {
  runCases([
    {
      name: 'Available=True → Healthy with "reason: message"',
      object: apiService,
      want: { status: 'Healthy', message: 'Passed: all checks passed' },
    },
    {
      name: 'Available=False → Progressing',
      object: patch(apiService, {
        status: {
          conditions: [
            { type: 'Available', status: 'False', reason: 'MissingEndpoints', message: 'no addresses' },
          ],
        },
      }),
      want: { status: 'Progressing', message: 'MissingEndpoints: no addresses' },
    },
    {
      name: 'Available=Unknown → Progressing',
      object: patch(apiService, { status: { conditions: [{ type: 'Available', status: 'Unknown' }] } }),
      want: 'Progressing',
    },
    {
      name: 'no Available condition → Progressing "Waiting to be processed"',
      object: patch(apiService, { status: undefined }),
      want: { status: 'Progressing', message: 'Waiting to be processed' },
    },
    {
      name: 'v1beta1 → same rule',
      object: patch(apiService, { apiVersion: 'apiregistration.k8s.io/v1beta1' }),
      want: 'Healthy',
    },
    {
      name: 'v2 → Unknown',
      object: patch(apiService, { apiVersion: 'apiregistration.k8s.io/v2' }),
      want: {
        status: 'Unknown',
        message: 'unsupported APIService GVK: apiregistration.k8s.io/v2, Kind=APIService',
      },
    },
  ]);
});
