import type { ContainerRef } from '../../workloads.js';
import type { PssCheck } from '../check.js';
import { yaml } from '../dedent.js';
import type { PodSecurityFinding } from '../model.js';
import {
  containerList,
  finding,
  isUnset,
  objectAt,
  podSecurityContext,
  securityContextOf,
} from '../pod-view.js';

const REASON = 'hostProcess';
const DETAIL = 'must not set securityContext.windowsOptions.hostProcess=true';

function hostProcessOf(securityContext: Record<string, unknown> | undefined): boolean {
  const value = objectAt(securityContext, 'windowsOptions')?.['hostProcess'];
  return !isUnset(value) && value !== false;
}

function containerHostProcess(c: ContainerRef): boolean {
  return hostProcessOf(securityContextOf(c));
}

/** Windows HostProcess containers: `windowsOptions.hostProcess` of the pod and every container. */
export const windowsHostProcess: PssCheck = {
  id: 'windowsHostProcess',
  level: 'baseline',
  variants: [
    {
      since: 0,
      evaluate(pod) {
        // Tested before any list is built: most pods pass, and then allocate nothing.
        if (!hostProcessOf(podSecurityContext(pod)) && !pod.containers.some(containerHostProcess))
          return undefined;
        const findings: PodSecurityFinding[] = [];
        const setters: string[] = [];
        if (hostProcessOf(podSecurityContext(pod))) {
          setters.push('pod');
          findings.push(
            finding(REASON, `pod ${DETAIL}`, {
              path: `${pod.specPointer}/securityContext/windowsOptions/hostProcess`,
            }),
          );
        }
        const bad = pod.containers.filter(containerHostProcess);
        for (const c of bad) {
          findings.push(
            finding(REASON, `container "${c.name}" ${DETAIL}`, {
              path: `${c.pointer}/securityContext/windowsOptions/hostProcess`,
            }),
          );
        }
        if (bad.length > 0) setters.push(containerList(bad.map((c) => c.name)));
        if (setters.length === 0) return undefined;
        return { reason: REASON, detail: `${setters.join(' and ')} ${DETAIL}`, findings };
      },
    },
  ],
  docs: {
    summary: 'No Windows HostProcess containers.',
    details:
      'A Windows HostProcess container runs directly on the node as a host process, with access to the ' +
      "node's network, file system and accounts: the Windows counterpart of a privileged container. " +
      'Remove `securityContext.windowsOptions.hostProcess` (on the pod and every container) or set it ' +
      'to `false`. Checked at every policy version.',
    examples: [
      {
        title: 'a Windows pod in a container',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: iis
          spec:
            os:
              name: windows
            containers:
              - name: app
                image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
        `,
        reports: [],
      },
      {
        title: 'a HostProcess pod',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: node-agent
          spec:
            os:
              name: windows
            hostNetwork: true
            securityContext:
              windowsOptions:
                hostProcess: true
                runAsUserName: "NT AUTHORITY\\SYSTEM"
            containers:
              - name: agent
                image: mcr.microsoft.com/windows/nanoserver:ltsc2022
        `,
        reports: ['/spec/securityContext/windowsOptions/hostProcess'],
      },
    ],
  },
};
