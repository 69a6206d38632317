import type { Rule } from '../rule.js';
import { fieldOf, POD_KINDS, podSpecOf } from '../workloads.js';
import { checkedContainers, describeContainer, securitySetting } from './containers.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { pointerOf, polaris } from './locate.js';

/**
 * `bp/windows-host-process`: no Windows HostProcess pods or containers (Polaris `hostProcess`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [windowsHostProcess], kubernetesVersion: '1.35' });
 * ```
 */
export const windowsHostProcess: Rule = {
  id: 'bp/windows-host-process',
  category: 'security',
  severity: 'error',
  kinds: POD_KINDS,
  customResources: true,
  docs: {
    summary: 'Pods and containers do not set windowsOptions.hostProcess: true.',
    details: `A Windows HostProcess container runs directly on the node, outside any container isolation,
with the node's network and file system: the Windows counterpart of a privileged pod. Remove
\`securityContext.windowsOptions.hostProcess\`.

Matches Polaris \`hostProcess\` (pod or container \`hostProcess: true\`) and the PSS baseline check
\`windowsHostProcess\`. Polaris looks only at \`containers\`; init containers are checked here too, as
PSS does. Severity: error (Polaris: warning), because the PSS baseline treats it as a boundary.`,
    upstream: ['polaris/hostProcess'],
    examples: [
      {
        title: 'ordinary Windows pod',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: iis
spec:
  securityContext:
    windowsOptions:
      runAsUserName: ContainerUser
  containers:
    - name: iis
      image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
`,
        reports: [],
      },
      {
        title: 'HostProcess pod and container',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: iis
spec:
  securityContext:
    windowsOptions:
      hostProcess: true
  containers:
    - name: iis
      image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
      securityContext:
        windowsOptions:
          hostProcess: true
`,
        reports: [
          '/spec/securityContext/windowsOptions/hostProcess',
          '/spec/containers/0/securityContext/windowsOptions/hostProcess',
        ],
      },
    ],
  },
  check(resource, context) {
    const pod = podSpecOf(resource, IN_CUSTOM_RESOURCES);
    if (!pod) return;
    const data = polaris('hostProcess');
    if (fieldOf(securitySetting(pod.spec, 'windowsOptions'), 'hostProcess') === true) {
      context.report({
        path: pointerOf(pod.pointer, 'securityContext', 'windowsOptions', 'hostProcess'),
        message: 'pod runs as a Windows HostProcess pod: remove securityContext.windowsOptions.hostProcess',
        data,
      });
    }
    for (const c of checkedContainers(pod)) {
      if (fieldOf(securitySetting(c.container, 'windowsOptions'), 'hostProcess') !== true) continue;
      context.report({
        path: pointerOf(c.pointer, 'securityContext', 'windowsOptions', 'hostProcess'),
        message: `${describeContainer(c)} runs as a Windows HostProcess container: remove securityContext.windowsOptions.hostProcess`,
        data,
      });
    }
  },
};
