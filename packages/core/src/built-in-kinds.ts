// Facts about the kinds the Kubernetes API server serves itself, from its API (1.29 to 1.35).

/** How the API server serves a kind: its resource (plural, lower-case) and its scope. */
export interface KindInfo {
  readonly resource: string;
  readonly namespaced: boolean;
}

// Built-in kinds by group: `Kind resource` with `*` marking the cluster-scoped ones.
const BUILT_IN: Readonly<Record<string, string>> = {
  '':
    'Binding bindings, ComponentStatus componentstatuses*, ConfigMap configmaps, Endpoints endpoints, ' +
    'Event events, LimitRange limitranges, Namespace namespaces*, Node nodes*, ' +
    'PersistentVolume persistentvolumes*, PersistentVolumeClaim persistentvolumeclaims, Pod pods, ' +
    'PodTemplate podtemplates, ReplicationController replicationcontrollers, ResourceQuota resourcequotas, ' +
    'Secret secrets, Service services, ServiceAccount serviceaccounts',
  apps:
    'ControllerRevision controllerrevisions, DaemonSet daemonsets, Deployment deployments, ' +
    'ReplicaSet replicasets, StatefulSet statefulsets',
  batch: 'CronJob cronjobs, Job jobs',
  autoscaling: 'HorizontalPodAutoscaler horizontalpodautoscalers',
  policy: 'PodDisruptionBudget poddisruptionbudgets, PodSecurityPolicy podsecuritypolicies*',
  extensions:
    'DaemonSet daemonsets, Deployment deployments, Ingress ingresses, NetworkPolicy networkpolicies, ' +
    'PodSecurityPolicy podsecuritypolicies*, ReplicaSet replicasets',
  'networking.k8s.io':
    'Ingress ingresses, IngressClass ingressclasses*, IPAddress ipaddresses*, NetworkPolicy networkpolicies, ' +
    'ServiceCIDR servicecidrs*',
  'rbac.authorization.k8s.io':
    'ClusterRole clusterroles*, ClusterRoleBinding clusterrolebindings*, Role roles, RoleBinding rolebindings',
  'storage.k8s.io':
    'CSIDriver csidrivers*, CSINode csinodes*, CSIStorageCapacity csistoragecapacities, ' +
    'StorageClass storageclasses*, VolumeAttachment volumeattachments*, ' +
    'VolumeAttributesClass volumeattributesclasses*',
  'scheduling.k8s.io': 'PriorityClass priorityclasses*',
  'admissionregistration.k8s.io':
    'MutatingAdmissionPolicy mutatingadmissionpolicies*, ' +
    'MutatingAdmissionPolicyBinding mutatingadmissionpolicybindings*, ' +
    'MutatingWebhookConfiguration mutatingwebhookconfigurations*, ' +
    'ValidatingAdmissionPolicy validatingadmissionpolicies*, ' +
    'ValidatingAdmissionPolicyBinding validatingadmissionpolicybindings*, ' +
    'ValidatingWebhookConfiguration validatingwebhookconfigurations*',
  'apiextensions.k8s.io': 'CustomResourceDefinition customresourcedefinitions*',
  'apiregistration.k8s.io': 'APIService apiservices*',
  'certificates.k8s.io':
    'CertificateSigningRequest certificatesigningrequests*, ClusterTrustBundle clustertrustbundles*',
  'coordination.k8s.io': 'Lease leases',
  'discovery.k8s.io': 'EndpointSlice endpointslices',
  'events.k8s.io': 'Event events',
  'flowcontrol.apiserver.k8s.io':
    'FlowSchema flowschemas*, PriorityLevelConfiguration prioritylevelconfigurations*',
  'node.k8s.io': 'RuntimeClass runtimeclasses*',
  'resource.k8s.io':
    'DeviceClass deviceclasses*, DeviceTaintRule devicetaintrules*, ResourceClaim resourceclaims, ' +
    'ResourceClaimTemplate resourceclaimtemplates, ResourceSlice resourceslices*',
  'storagemigration.k8s.io': 'StorageVersionMigration storageversionmigrations*',
  'internal.apiserver.k8s.io': 'StorageVersion storageversions*',
};

// By kind, then group: a lookup hashes the two strings it is given (shared, their hashes kept),
// and builds no `group/kind` key (the namespace check asks for every resource it reads).
const TABLE: ReadonlyMap<string, ReadonlyMap<string, KindInfo>> = (() => {
  const byKind = new Map<string, Map<string, KindInfo>>();
  for (const [group, list] of Object.entries(BUILT_IN)) {
    for (const entry of list.split(', ')) {
      const [kind = '', resource = ''] = entry.split(' ');
      let groups = byKind.get(kind);
      if (!groups) {
        groups = new Map<string, KindInfo>();
        byKind.set(kind, groups);
      }
      groups.set(group, { resource: resource.replace('*', ''), namespaced: !resource.endsWith('*') });
    }
  }
  return byKind;
})();

/**
 * A built-in kind's resource and scope, or `undefined` for kinds the table does not know (custom
 * resources: their CustomResourceDefinition says).
 *
 * @example
 * ```ts
 * builtInKind('rbac.authorization.k8s.io', 'ClusterRole'); // { resource: 'clusterroles', namespaced: false }
 * ```
 */
export function builtInKind(group: string, kind: string): KindInfo | undefined {
  return TABLE.get(kind)?.get(group);
}
