import type { RuleDocs } from '../rule.js';

const POLICY = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: replica-limit
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - apiGroups: [apps]
        apiVersions: [v1]
        operations: [CREATE, UPDATE]
        resources: [deployments]
  validations:
    - expression: object.spec.replicas <= 3
      message: a Deployment runs at most 3 replicas
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: replica-limit
spec:
  policyName: replica-limit
  validationActions: [Deny]`;

const deployment = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27`;

const PARAMS_EXAMPLE = `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  type: LoadBalancer
  ports:
    - port: 80
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: service-types
spec:
  paramKind:
    apiVersion: v1
    kind: ConfigMap
  matchConstraints:
    resourceRules:
      - apiGroups: [""]
        apiVersions: [v1]
        operations: [CREATE]
        resources: [services]
  validations:
    - expression: object.spec.?type.orValue('ClusterIP') in params.data.allowed.split(',')
      messageExpression: "'Service type ' + object.spec.type + ' is not one of ' + params.data.allowed"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: service-types
spec:
  policyName: service-types
  validationActions: [Warn]
  paramRef:
    name: service-types
    parameterNotFoundAction: Deny
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: service-types
  namespace: shop
data:
  allowed: ClusterIP,NodePort`;

/** The documentation of the `vap` rule. */
export const VAP_DOCS: RuleDocs = {
  summary: 'Resources pass the ValidatingAdmissionPolicies bound in the repository, evaluated offline.',
  details: `Every ValidatingAdmissionPolicy (\`admissionregistration.k8s.io/v1\` or \`v1beta1\`) with a
ValidatingAdmissionPolicyBinding, in the repository or given with \`--policy FILE\`, is evaluated on every
other resource of the repository as the API server would evaluate a **CREATE** request for it: the
policy's \`matchConstraints\` and the binding's \`matchResources\` (resource rules with a built-in
kind-to-resource table, CustomResourceDefinitions of the repository, and otherwise the API machinery's
plural guess — lower-case, \`-es\` after \`s\`, \`-ies\` for \`y\`, \`-s\`; \`excludeResourceRules\`;
\`namespaceSelector\` on the namespace's labels plus \`kubernetes.io/metadata.name\`, the only label of a
namespace the repository does not define; \`objectSelector\`;
\`matchPolicy\`, below), then \`matchConditions\`, \`variables\` (lazily, in order) and each
validation, once per param that the binding's \`paramRef\` selects (by name or selector, in its namespace or
the request's). A namespaced resource without a namespace is taken to be created in \`default\`. The
variables are \`object\` (integral numbers as \`int\`), \`oldObject\` (null), \`request\` (kind, resource,
name, namespace, \`operation: CREATE\`, an empty \`userInfo\`), \`params\`, \`namespaceObject\` and \`variables\`.

With \`--changed-since REF\`, a resource of a changed file that the same files held at \`REF\` (same group,
kind, namespace and name, in any of the changed files, so a moved object counts) is judged as the
**UPDATE** a sync would send instead: \`oldObject\` is the object as it was at \`REF\` (with the same
defaults filled in and converted to the same version as \`object\`), \`request.operation\` is \`UPDATE\`
with \`PatchOptions\` (\`kubectl apply\`, Argo CD and Flux patch), only rules naming \`UPDATE\` or \`*\`
match, and an \`objectSelector\` passes when it selects either object. So policies that compare with
\`oldObject\` (an immutable field, a limit on scaling down) judge the change itself. The finding's data
says \`operation: UPDATE\`. A resource written exactly as it was at \`REF\` is not admitted at all: \`kubectl
apply\` sends no patch for it, and Argo CD and Flux leave objects in sync alone. Resources of unchanged files stay CREATE requests, as in the check of
\`REF\` they are compared with. The old object is as written at \`REF\`, not as the cluster stores it (no
\`status\`, \`uid\` or \`resourceVersion\`). An object the changed files held at \`REF\` that no checked file
has any more (an object moved out of the checked PATHs counts) is judged as the **DELETE** a sync that
prunes sends: \`object\` is null, \`oldObject\` the object, \`request.operation\` is \`DELETE\` with
\`DeleteOptions\`, only rules naming \`DELETE\` or \`*\` match, and the object selector reads the old labels
only. Its findings sit on the object in its file at \`REF\` (the span's \`ref\`; the code frame shows the file
as it was), with data \`operation: DELETE\` and the message ending "(on the DELETE of Namespace prod, which
the checked files no longer have)". A sync that does not prune deletes nothing: those findings then warn of
what pruning would be refused. An object that opts out of pruning at REF is left in the cluster
and sends no DELETE: Argo CD's \`argocd.argoproj.io/sync-options\` with \`Prune=false\`, Flux's
\`kustomize.toolkit.fluxcd.io/prune: disabled\` (annotation or label), Helm's
\`helm.sh/resource-policy: keep\`; so does a hook (Argo CD's or Helm's), which its own delete
policy removes. \`Prune=confirm\` deletes once confirmed: a DELETE.

With \`matchPolicy: Exact\` a rule must name the resource's own group and version. With \`Equivalent\` (the
default) a rule may also name another version the API server would convert the object to: one that the
target Kubernetes version serves, of the same resource or of one kept in the same storage (\`apps\` and
\`extensions\` Deployments, DaemonSets and ReplicaSets, \`networking.k8s.io\` and \`extensions\` Ingresses and
NetworkPolicies, core and \`events.k8s.io\` Events). So a rule on \`apps/v1beta1\` deployments matches an
\`apps/v1\` Deployment up to 1.15 and not from 1.16 on, and one on \`autoscaling/v1\` matches an
\`autoscaling/v2\` HorizontalPodAutoscaler. For a custom resource these are the versions its
CustomResourceDefinition lists, served or not (as the API server registers them); without the definition in
the repository, any version a rule names (the first one the rule lists stands in). Matched that way,
\`request.kind\` and \`request.resource\` hold the group and version the policy's rule names, and
\`request.requestKind\` and \`request.requestResource\` the object's own, as the API server gives them. The
object is converted to the rule's version too, as the API server converts it: a HorizontalPodAutoscaler
\`autoscaling/v2\` seen by a rule on \`v1\` has \`spec.targetCPUUtilizationPercentage\` (and its other
metrics in the \`autoscaling.alpha.kubernetes.io/metrics\` annotation), a core Event seen as
\`events.k8s.io/v1\` has \`note\` and \`regarding\`, a \`v1beta1\` ResourceClaim seen as \`resource.k8s.io/v1\`
has its requests under \`exactly\`; Ingresses, EndpointSlices, PodDisruptionBudgets, flow-control priority
levels and RBAC bindings convert too, and every other built-in resource, whose versions have the same
fields, gets the rule's \`apiVersion\`. A custom resource whose definition converts with strategy \`None\`
gets the rule's \`apiVersion\`; one converted by a webhook stays as written. A resource written in a version the target does not serve
(\`extensions/v1beta1\` Deployments since 1.16, a CustomResourceDefinition version with \`served: false\`)
is never admitted, so no policy sees it (the schema check reports removed APIs).

A failed validation is reported on the resource under the code \`vap/<policy-name>\`, with the validation's
\`messageExpression\` result, its \`message\`, or \`failed expression: <expression>\`, and the severity of the
binding's \`validationActions\`: Deny → error, Warn → warning, Audit → info. The pointer is the field the
expression reads when there is one (\`object.spec.replicas <= 3\` → \`/spec/replicas\`), else the whole
resource. An evaluation error, a missing param with \`parameterNotFoundAction: Deny\`, or a runaway expression
that exceeds the cost limits (about a million list elements visited per expression, ten million per
evaluation, as on the API server) is reported the same way
when \`failurePolicy\` is Fail and not at all when it is Ignore.

The policy's \`auditAnnotations\` are evaluated after its validations, as the API server evaluates them for
every request it admits or denies: with a cost budget of their own, the same \`variables\` and \`params\`, and no
\`authorizer\` (the API server binds it for validations only). A string or null reports nothing: the API server
publishes a string as the audit annotation \`<policy-name>/<key>\` (cut to 10 KiB; a blank one is dropped, as
null is), and there is no audit log offline. A value of another type is reported as
\`auditAnnotations[<key>] could not be evaluated\` whatever \`failurePolicy\` says, an evaluation error only
when it is Fail, and both as errors whatever the binding's \`validationActions\`: the API server denies the
request for them.

Expressions run on @marcbachmann/cel-js with optional types (\`.?\`, \`orValue\`), integral JSON numbers as
\`int\`, and Kubernetes' libraries: quantity (\`quantity\`, \`isQuantity\`, \`compareTo\`, \`isGreaterThan\`,
\`isLessThan\`, \`add\`, \`sub\`, \`sign\`, \`isInteger\`, \`asInteger\`, \`asApproximateFloat\`, \`==\`), lists
(\`isSorted\`, \`sum\`, \`min\`, \`max\`, \`indexOf\`, \`lastIndexOf\`), sets (\`sets.contains\`, \`equivalent\`,
\`intersects\`), regex on RE2 (\`matches\`, \`find\`, \`findAll\`), strings (\`charAt\`, \`replace\` besides cel-js's own;
not \`reverse\`, which the API server's version of cel-go's strings extension lacks), \`url\`, \`ip\`/\`cidr\` (with \`==\` and \`ip.isCanonical\`), \`semver\`, \`strings.quote\`, the format library
(\`format.named(name)\`, \`format.dns1123Label()\` and the other twelve named formats, \`<format>.validate(string)\`,
with apimachinery's messages and Go's \`url.ParseRequestURI\` errors for \`uri\`), \`string.format\` as the API server's strings extension (version 2) formats (\`%f\` grouped
thousands, \`%e\` as \`1.052033 × 10⁰³\`, lists and maps as CEL literals), \`optional.ofNonZeroValue\`, \`optMap\` and
\`optFlatMap\`, cel-go's two-variable
comprehensions (\`all(i, v, p)\`, \`exists\`, \`existsOne\`, \`transformList\`, \`transformMap\`, \`transformMapEntry\`, with
or without a filter), and \`authorizer\` (with \`fieldSelector\` and \`labelSelector\`), which answers offline that nothing is allowed (the synthetic request
has an empty user). Where cel-js and the API server's cel-go disagree, cel-go's behaviour is kept: string
indices and lengths count characters (an emoji is one), and int overflow, conversions out of range
(\`int(1e19)\`, \`uint(-0.5)\`) and durations or timestamps out of range are errors. The optional entries of list and map literals (\`[?x]\`, \`{?k: v}\`), which cel-js cannot parse, are
rewritten as calls that do the same (an entry that is not an optional fails when it runs, where cel-go refuses it when
the policy is written). Fields are \`dyn\` when an expression runs. When the schemas are loaded (the CLI's schema validation), the fields an expression selects from
\`object\` (\`object.spec.replicas\`, and through a macro's variable, \`containers.all(c, c.image …)\`) are checked against the schema of each
kind its rules name (built-in, or defined by a CustomResourceDefinition of the repository; at most ten), whether or not
the repository has objects of it, as the API server's type check does: a field the kind lacks is
\`vap/type-warning\` (a warning, as the API server writes it in the policy's status); rules with wildcards are not
checked, as the API server does not check them. A kind a CustomResourceDefinition of the repository defines is checked
against the definition's schema for the version, schemas loaded or not, and \`params\` against the schema of the
policy's \`paramKind\` (built-in or defined in the repository): \`params.spec.maxReplicas\` with ConfigMap params is a
\`vap/type-warning\`, once per policy. Once the fields exist, values are typed by the same schemas and the expression is
type-checked again: \`object.spec.replicas > '3'\`, or an int compared with a ConfigMap's string data, is a
\`vap/type-warning\` too, and so is one through a variable, typed by its expression. That typing keeps \`dyn\` wherever the API server's might differ (int-or-string, unknown and
nullable fields, formatted strings), and never reports a comparison with \`null\` or two lists of objects joined with \`+\`. Other differences: \`1 == 1.0\` is a type
error, timestamps keep milliseconds (cel-go keeps nanoseconds), \`in variables\` computes the first
variable, and libraries are checked against the target Kubernetes version as the API server compiles a new
expression, with the libraries of the release before its own: the authorizer from 1.28, quantity and optional syntax
from 1.29, sets and \`strings.quote\` from 1.30, ip and cidr from 1.31, the format library and the authorizer's selectors from 1.32, two-variable
comprehensions from 1.33 and semver from 1.34.

Problems in the policies themselves are diagnostics on them, never crashes: \`vap/invalid-policy\` (a CEL
syntax or type error at \`/spec/validations/<i>/expression\` or \`/spec/auditAnnotations/<i>/valueExpression\`, a
missing field, an auditAnnotation key repeated or not a qualified name after \`<policy-name>/\`, a
\`valueExpression\` over 5 KiB, a library the target Kubernetes version lacks, a field \`request\` or \`namespaceObject\`
does not have: they are typed as the API server types them, \`kubernetes.AdmissionRequest\` (without \`uid\` or the
objects) and \`kubernetes.Namespace\` (its metadata without \`uid\`, which is \`UID\`, or owner references), and
\`params\` in a policy without a paramKind, where the API server does not declare it), \`vap/invalid-binding\`,
\`vap/unknown-policy\` (a binding naming no policy),
\`vap/param-not-found\` (a paramRef that selects nothing in the repository), \`vap/duplicate\`,
\`vap/unsupported\` and \`vap/type-warning\`. Of two policies, bindings or params with one name, the one a cluster ends with is used: the
last applied, by path then document, files given with \`--policy\` after the repository. \`vap/duplicate\`
is reported on each one replaced, naming the one that replaces it (info where \`manifest/duplicate-resource\`
already reports the pair, else a warning; a param only when a binding's paramRef could pick the one that replaces it).`,
  upstream: ['https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/'],
  examples: [
    {
      title: 'a Deployment over the replica limit',
      yaml: `${deployment(5)}\n---\n${POLICY}`,
      reports: ['/spec/replicas'],
    },
    { title: 'a Deployment within the limit', yaml: `${deployment(2)}\n---\n${POLICY}`, reports: [] },
    {
      title: 'a param (ConfigMap) lists the allowed Service types',
      yaml: PARAMS_EXAMPLE,
      reports: ['/spec/type'],
    },
  ],
};
