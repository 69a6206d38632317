/**
 * A namespaced v1 CustomResourceDefinition of `example.com` with one version, v1, whose `spec`
 * schema is `spec` (YAML indented by 14 spaces, starting with its `type`).
 */
export const definition = (
  kind: string,
  plural: string,
  spec: string,
): string => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: ${plural}.example.com}
spec:
  group: example.com
  names: {kind: ${kind}, plural: ${plural}}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
${spec}`;
