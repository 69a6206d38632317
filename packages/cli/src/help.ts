/** The text `shipshape --help` prints. */
export const HELP = `shipshape — check Kubernetes manifest repositories before they reach a cluster

Usage:
  shipshape check  [PATH...] [--ref REF] [--changed-since REF] [--kubernetes-version X.Y]
                   [--policy PACK|FILE ...] [--strict|--no-strict] [--config FILE]
                   [--format text|json|sarif|junit|github|markdown] [--output FILE]
                   [--fail-on error|warning|info|never] [--timing]
  shipshape render PATH [--ref REF] [--format yaml|json]
  shipshape diff   PATH --live FILE|DIR [--ref REF] [--exit-code] [--format text|json]
  shipshape diff   PATH --base REF --ref REF [--exit-code] [--format text|json]
  shipshape health FILE|DIR [--desired PATH [--ref REF]] [--exit-code] [--format text|json]
  shipshape history PATH --resource KIND/NS/NAME [--ref REF] [--format text|json]

Commands:
  check     Read every YAML and JSON manifest under PATH (default: .) and report problems
            with file, line and column.
  render    Print the resources under PATH as one YAML stream (or JSON).
  diff      Compare the desired state under PATH with live objects (what kubectl get -o yaml
            prints), or with PATH at --base REF: what would be created, updated, deleted.
            Server-set fields, defaults and controller-owned fields are not drift; Secret
            values are masked. Ignore rules and field managers: the config's diff section.
  health    The health of live objects (Healthy, Progressing, Degraded, Suspended, Missing,
            Unknown, or - where no rule applies), as Argo CD assesses it.
  history   List the commits that changed one resource, newest first.

Options:
  --ref REF              Read PATH from this Git ref (branch, tag, commit) instead of the folder.
  --changed-since REF    Report only on files changed since REF. A changed object is judged
                         as an update of its version at REF (admission policies, CRD
                         transition rules), a removed one as a deletion (admission policies).
  --kubernetes-version X.Y
                         Validate against this Kubernetes version's schemas (default: newest
                         bundled; a version between bundles uses the nearest older one).
  --policy PACK|FILE     Check policies too (repeatable): a pack (pss-baseline, pss-restricted,
                         pss-namespaces, best-practices), a JavaScript module of custom rules, or
                         a YAML file or folder of ValidatingAdmissionPolicies and bindings. The
                         Pod Security Standards follow --kubernetes-version; pss-namespaces
                         follows each namespace's pod-security.kubernetes.io labels.
                         ValidatingAdmissionPolicies in the repository are evaluated too
                         (config: admissionPolicies).
  --strict, --no-strict  Unknown fields are errors (default), or allowed.
  --config FILE          Configuration file (default: shipshape.yaml found from PATH upwards).
  --format FORMAT        Output format (default: text).
  --output FILE          Write the report to FILE instead of standard output.
  --fail-on SEVERITY     Exit 1 when a diagnostic is at or above SEVERITY (default: error).
  --timing               check: print on standard error where the time went: schema
                         validation, policies, placing findings, and the ten slowest rules.
  --live FILE|DIR        Live state for diff: YAML or JSON objects, Lists or streams.
  --base REF             Diff PATH at --ref (default: the working folder) against PATH at REF.
  --desired PATH         health: report each resource under PATH that no live object matches
                         as Missing (PATH read at --ref when given).
  --exit-code            diff: exit 1 when anything would change; health: exit 1 when a
                         resource is Degraded, Missing or Unknown.
  --resource KEY         The resource for history: Kind/namespace/name, Kind/name for
                         cluster-scoped kinds, with group/ in front for non-core groups.
  -h, --help             Show this help.
  -v, --version          Show the version.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it (diff and health: only
with --exit-code, as above); 2 usage, configuration or I/O error, or (diff, health) input that
could not be read.
`;
