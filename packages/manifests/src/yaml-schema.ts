import {
  boolYaml11Tag,
  CORE_SCHEMA,
  floatYaml11Tag,
  intYaml11Tag,
  mergeTag,
  nullYaml11Tag,
} from 'js-yaml/browser';

/**
 * The scalar resolution Kubernetes applies: its YAML decoder (sigs.k8s.io/yaml over go-yaml v2)
 * follows YAML 1.1, so `yes`/`on` are booleans, `0777` is octal and `<<` merges mappings, while
 * timestamps stay strings.
 */
export const KUBERNETES_YAML_SCHEMA = CORE_SCHEMA.withTags(
  boolYaml11Tag,
  intYaml11Tag,
  floatYaml11Tag,
  nullYaml11Tag,
  mergeTag,
);
