import * as fs from 'node:fs';
import { join } from 'node:path';
import { check } from 'shipshape';
import { describe, expect, it } from 'vitest';
import { run, tempTree } from './helpers.js';

// The cluster's Pod Security Admission configuration, given with --policy, sets the defaults and
// exemptions the pss-namespaces pack judges by.
const admission = `# the API server's --admission-control-config-file
apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
  - name: EventRateLimit
    path: events.yaml
  - name: PodSecurity
    configuration:
      apiVersion: pod-security.admission.config.k8s.io/v1
      kind: PodSecurityConfiguration
      defaults:
        enforce: baseline
        warn: restricted
        warn-version: v1.21
        audit: superstrict
      exemptions:
        usernames: ["system:serviceaccount:argocd:argocd-application-controller"]
        namespaces: [kube-system]
`;

const hostPod = (name: string, namespace: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  hostNetwork: true
  securityContext:
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: app
      image: nginx:1.27
      securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true}
`;

const tree = () =>
  tempTree({
    'cluster/admission.yaml': admission,
    'apps/pods.yaml': `${hostPod('web', 'shop')}---\n${hostPod('agent', 'kube-system')}`,
  });

const brief = (r: Awaited<ReturnType<typeof check>>) =>
  r.diagnostics.map(
    (d) => `${d.span?.path}:${d.span?.start.line}:${d.span?.start.column} ${d.severity} ${d.code}`,
  );

describe('a Pod Security Admission configuration given with --policy', () => {
  it('sets the defaults and exemptions of pss-namespaces, which it turns on, and says what it leaves out', async () => {
    const r = await check({
      cwd: tree(),
      paths: ['apps'],
      config: false,
      policies: ['cluster/admission.yaml'],
    });
    expect(brief(r)).toEqual([
      // The enforced default (baseline) refuses the host network of shop's Pod; kube-system is
      // exempt; restricted is warned about at v1.21, before capabilities had to be dropped.
      'apps/pods.yaml:7:16 error pss/hostNamespaces',
      'cluster/admission.yaml:5:3 info policy/pod-security-config-not-applied',
      'cluster/admission.yaml:15:16 error policy/invalid-pod-security-config',
      'cluster/admission.yaml:17:20 info policy/pod-security-config-not-applied',
    ]);
    expect(r.diagnostics[2]?.message).toBe(
      'defaults.audit must be one of privileged, baseline, restricted, not "superstrict": the API server does not start',
    );
    expect(r.diagnostics[0]?.message).toContain('namespace shop enforces baseline (v1.35)');
  });

  it("yields to the config's own options for pss/namespace-labels", async () => {
    const r = await check({
      cwd: tree(),
      paths: ['apps'],
      config: { rules: { 'pss/namespace-labels': { exemptNamespaces: ['shop'] } } },
      policies: ['cluster/admission.yaml'],
    });
    // shop is exempt now, and kube-system is not: the config's list replaces the file's.
    expect(brief(r).filter((l) => l.startsWith('apps/'))).toEqual([
      'apps/pods.yaml:21:16 error pss/hostNamespaces',
    ]);
  });

  it('cannot run beside a one-level pack, nor beside a second configuration (exit 2)', async () => {
    const dir = tempTree({
      'admission.yaml': admission,
      'psa.yaml': 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\n',
      'web.yaml': hostPod('web', 'shop'),
    });
    const level = await run(
      ['check', 'web.yaml', '--policy', 'admission.yaml', '--policy', 'pss-restricted'],
      {
        cwd: dir,
      },
    );
    expect([level.code, level.stderr.split('\n')[0]]).toEqual([
      2,
      'shipshape: --policy admission.yaml: admission.yaml configures the Pod Security Admission, which the pss-namespaces pack applies; it cannot run with pss-restricted, which judges every pod at one level under the same pss/<check> codes: choose one',
    ]);
    const two = await run(['check', 'web.yaml', '--policy', 'admission.yaml', '--policy', 'psa.yaml'], {
      cwd: dir,
    });
    expect([two.code, two.stderr.split('\n')[0]]).toEqual([
      2,
      "shipshape: --policy psa.yaml: admission.yaml and psa.yaml both configure the Pod Security Admission; give the cluster's one",
    ]);
  });

  it("names the config's policies entry when the configuration came from there", async () => {
    const dir = tempTree({
      'shipshape.yaml': 'policies: [pss-baseline, admission.yaml]\n',
      'admission.yaml': admission,
      'web.yaml': hostPod('web', 'shop'),
    });
    const r = await run(['check', 'web.yaml'], { cwd: dir });
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([
      2,
      'shipshape: shipshape.yaml: policies: admission.yaml: admission.yaml configures the Pod Security Admission, which the pss-namespaces pack applies; it cannot run with pss-baseline, which judges every pod at one level under the same pss/<check> codes: choose one',
    ]);
  });

  it("passes the example apps at the example cluster's defaults, and fails them once a pod may run as root", async () => {
    const examples = new URL('../../../examples/', import.meta.url).pathname;
    const dir = tempTree({});
    fs.cpSync(join(examples, 'gitops-repo/apps'), join(dir, 'apps'), { recursive: true });
    fs.cpSync(join(examples, 'cluster'), join(dir, 'cluster'), { recursive: true });
    const options = {
      cwd: dir,
      paths: ['apps'],
      config: false,
      policies: ['cluster/pod-security.yaml'],
    } as const;
    expect((await check(options)).diagnostics).toEqual([]);
    const file = join(dir, 'apps/web/deployment.yaml');
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace('runAsNonRoot: true', 'runAsNonRoot: false'),
    );
    const rooted = await check(options);
    expect(rooted.diagnostics.map((d) => [d.code, d.severity, d.path])).toEqual([
      ['pss/runAsNonRoot', 'error', '/spec/template/spec/securityContext/runAsNonRoot'],
      ['pss/runAsNonRoot', 'error', '/spec/template/spec/containers/0/securityContext'],
    ]);
    expect(rooted.diagnostics[0]?.message).toContain('enforces restricted');
  });

  it('leaves other component configurations set aside, as before', async () => {
    const dir = tempTree({
      'kubelet.yaml': 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n',
      'web.yaml': hostPod('web', 'shop'),
    });
    const r = await check({ cwd: dir, paths: ['web.yaml'], config: false, policies: ['kubelet.yaml'] });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['manifest/component-config']);
  });
});
