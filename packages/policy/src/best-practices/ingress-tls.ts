import type { Rule } from '../rule.js';
import { fieldOf } from '../workloads.js';
import { isKind } from './kinds.js';
import { atField, locateField, polaris } from './locate.js';
import { nameOf } from './show-value.js';

/**
 * `bp/ingress-tls`: Ingresses configure TLS (Polaris `tlsSettingsMissing`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [ingressTls], kubernetesVersion: '1.35' });
 * ```
 */
export const ingressTls: Rule = {
  id: 'bp/ingress-tls',
  category: 'security',
  severity: 'warning',
  kinds: ['Ingress'],
  docs: {
    summary: 'Ingresses set spec.tls.',
    details: `An Ingress without \`tls\` serves its hosts over plain HTTP: credentials and cookies cross the
network readable by anyone on the path. Add a \`spec.tls\` entry with the hosts and the Secret that
holds their certificate (cert-manager can issue it).

Matches Polaris \`tlsSettingsMissing\`. Unlike Polaris, an empty \`tls: []\` fails too: it configures
no certificate. Severity: warning (Polaris: warning).`,
    upstream: ['polaris/tlsSettingsMissing'],
    examples: [
      {
        title: 'TLS configured',
        yaml: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  tls:
    - hosts: [shop.example.com]
      secretName: shop-tls
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
`,
        reports: [],
      },
      {
        title: 'plain HTTP',
        yaml: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
`,
        reports: ['/spec'],
      },
    ],
  },
  check(resource, context) {
    if (!isKind(resource, 'Ingress')) return;
    const tls = fieldOf(fieldOf(resource.object, 'spec'), 'tls');
    if (Array.isArray(tls) && tls.length > 0) return;
    context.report(
      atField(locateField('', resource.object, ['spec', 'tls']), {
        message: `Ingress ${nameOf(resource)} configures no TLS: add spec.tls with the hosts and their certificate Secret`,
        data: polaris('tlsSettingsMissing'),
      }),
    );
  },
};
