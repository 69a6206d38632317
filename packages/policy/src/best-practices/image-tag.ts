import type { Rule } from '../rule.js';
import { POD_KINDS, podSpecOf } from '../workloads.js';
import { checkedContainers, describeContainer } from './containers.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { atField, locateField, pointerOf, polaris } from './locate.js';

/** The tag and digest of an image reference (`registry:5000/app:1.2@sha256:…`). */
export function parseImageReference(image: string): { tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const name = at < 0 ? image : image.slice(0, at);
  const digest = at < 0 ? undefined : image.slice(at + 1);
  // A colon before the last slash belongs to a registry port, not a tag.
  const colon = name.lastIndexOf(':');
  const tag = colon > name.lastIndexOf('/') ? name.slice(colon + 1) : undefined;
  const out: { tag?: string; digest?: string } = {};
  if (tag !== undefined) out.tag = tag;
  if (digest !== undefined) out.digest = digest;
  return out;
}

/**
 * Whether an image names a digest, or a tag other than `latest`: what the rule asks, read from
 * the positions {@link parseImageReference} would cut at, so an image that passes (most)
 * allocates no parts.
 */
function pinned(image: string): boolean {
  const at = image.indexOf('@');
  if (at >= 0 && at < image.length - 1) return true;
  const end = at < 0 ? image.length : at;
  const colon = image.lastIndexOf(':', end - 1);
  if (colon <= image.lastIndexOf('/', end - 1) || colon + 1 === end) return false;
  return !(end - colon - 1 === 6 && image.startsWith('latest', colon + 1));
}

/**
 * `bp/image-tag`: every image names a tag other than `latest`, or a digest (Polaris
 * `tagNotSpecified`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [imageTag], kubernetesVersion: '1.35' });
 * ```
 */
export const imageTag: Rule = {
  id: 'bp/image-tag',
  category: 'reliability',
  severity: 'warning',
  kinds: POD_KINDS,
  customResources: true,
  docs: {
    summary: 'Images are pinned to a tag other than latest, or to a digest.',
    details: `An image without a tag means \`:latest\`, and \`latest\` moves: two nodes can run different code
under the same manifest, a restart can upgrade silently, and a rollback cannot go back. Pin a
version tag (\`nginx:1.27.3\`) or, better, a digest (\`nginx@sha256:…\`).

Matches Polaris \`tagNotSpecified\`, kube-score \`container-image-tag\`, kube-linter \`latest-tag\` and Kyverno \`disallow-latest-tag\`.
Unlike Polaris' pattern \`^.+:.+$\`, a registry port (\`registry:5000/app\`) is not taken for a tag.
Init containers are checked too. Severity: warning (Polaris: danger): an unpinned image makes
deployments unreproducible but crosses no security boundary.`,
    upstream: [
      'polaris/tagNotSpecified',
      'kube-score/container-image-tag',
      'kube-linter/latest-tag',
      'kyverno/disallow-latest-tag',
    ],
    examples: [
      {
        title: 'version tag and digest',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27.3
    - name: proxy
      image: registry.example.com:5000/envoy@sha256:4f2c8b7e9a1d3c5b6a7e8f9d0c1b2a3e4f5d6c7b8a9e0f1d2c3b4a5e6f7d8c9b
`,
        reports: [],
      },
      {
        title: 'no tag, and latest',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: registry.example.com:5000/nginx
    - name: proxy
      image: envoy:latest
`,
        reports: ['/spec/containers/0/image', '/spec/containers/1/image'],
      },
    ],
  },
  check(resource, context) {
    const data = polaris('tagNotSpecified');
    for (const c of checkedContainers(podSpecOf(resource, IN_CUSTOM_RESOURCES))) {
      const image = c.container['image'];
      if (typeof image !== 'string' || image === '') {
        context.report(
          atField(locateField(c.pointer, c.container, ['image']), {
            message: `${describeContainer(c)} names no image: set image to a pinned reference`,
            data,
          }),
        );
        continue;
      }
      if (pinned(image)) continue;
      const { tag, digest } = parseImageReference(image);
      if (digest !== undefined && digest !== '') continue;
      if (tag !== undefined && tag !== '' && tag !== 'latest') continue;
      context.report({
        path: pointerOf(c.pointer, 'image'),
        message:
          tag === 'latest'
            ? `${describeContainer(c)} uses the latest tag of ${image.slice(0, -':latest'.length)}: pin a version tag or a digest`
            : `${describeContainer(c)} uses image ${image} without a tag: pin a version tag or a digest`,
        data,
      });
    }
  },
};
