import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { overlayDir, overlayNames, overlayWithComponents } from '../manifests/overlays.js';
import { renderKustomization, type K8sObject } from './render-kustomization.js';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - { name: web, image: example/web:1.0 }
      initContainers:
        - { name: init, image: example/web }
`;

interface Web extends K8sObject {
  spec: {
    replicas: number;
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        containers: { image: string; args?: string[] }[];
        initContainers: { image: string }[];
      };
    };
  };
}

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kustomize-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Sorted keys at every depth, so renderings compare regardless of field order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
  );
}
const byId = (objects: readonly K8sObject[]): Map<string, unknown> =>
  new Map(
    objects.map((object) => [
      `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`,
      canonical(object),
    ]),
  );

describe('renderKustomization (the offline subset of Kustomize)', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('applies patches, namespace, labels, replicas and images to a base through an overlay', () => {
    const dir = tree({
      'base/kustomization.yaml': 'resources: [web.yaml]\nlabels: [{ pairs: { tier: base } }]\n',
      'base/web.yaml': DEPLOYMENT,
      'overlay/kustomization.yaml': `namespace: prod
resources: [../base, extra.yaml]
labels: [{ pairs: { env: prod } }]
replicas: [{ name: web, count: 4 }]
images: [{ name: example/web, newName: registry.test/web, newTag: '2.0' }]
patches:
  - target: { kind: Deployment, name: web }
    patch: |
      - { op: add, path: /spec/template/spec/containers/0/args, value: [--fast] }
`,
      'overlay/extra.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: prod }\n',
    });
    dirs.push(dir);
    const [web, namespace] = renderKustomization(join(dir, 'overlay')) as [Web, K8sObject];
    assert.equal(web.metadata.namespace, 'prod');
    assert.deepEqual(web.metadata.labels, { tier: 'base', env: 'prod' });
    assert.equal(web.spec.replicas, 4);
    assert.deepEqual(
      web.spec.template.metadata.labels,
      { app: 'web' },
      'templates are not labelled',
    );
    assert.equal(web.spec.template.spec.containers[0]?.image, 'registry.test/web:2.0');
    assert.equal(web.spec.template.spec.initContainers[0]?.image, 'registry.test/web:2.0');
    assert.deepEqual(web.spec.template.spec.containers[0]?.args, ['--fast']);
    assert.equal(
      namespace.metadata.namespace,
      undefined,
      'cluster-scoped objects get no namespace',
    );
  });

  it('drops objects marked config.kubernetes.io/local-config', () => {
    const dir = tree({
      'kustomization.yaml': `resources: [web.yaml]
patches:
  - target: { kind: Deployment }
    patch: '[{ "op": "add", "path": "/metadata/annotations", "value": { "config.kubernetes.io/local-config": "true" } }]'
`,
      'web.yaml': DEPLOYMENT,
    });
    dirs.push(dir);
    assert.deepEqual(renderKustomization(dir), []);
  });

  it("adds a component's resources, applies its patches, then the overlay's", () => {
    const dir = tree({
      'base/kustomization.yaml': 'resources: [web.yaml]\n',
      'base/web.yaml': DEPLOYMENT,
      'component/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources: [extra.yaml]
patches:
  - target: { kind: Deployment, name: web }
    patch: '[{ "op": "add", "path": "/spec/template/spec/containers/0/args", "value": ["--from-component"] }]'
`,
      'component/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: extra }\n',
      'overlay/kustomization.yaml': `resources: [../base]
components: [../component]
patches:
  - target: { kind: Deployment, name: web }
    patch: '[{ "op": "add", "path": "/spec/template/spec/containers/0/args/-", "value": "--from-overlay" }]'
`,
    });
    dirs.push(dir);
    const [web, extra] = renderKustomization(join(dir, 'overlay')) as [Web, K8sObject];
    assert.deepEqual(web.spec.template.spec.containers[0]?.args, [
      '--from-component',
      '--from-overlay',
    ]);
    assert.equal(extra.kind, 'ConfigMap');
  });

  it('refuses a component listed as a resource, and a component with more than resources and patches', () => {
    const component = 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n';
    const asResource = tree({
      'c/kustomization.yaml': component,
      'kustomization.yaml': 'resources: [c]\n',
    });
    const withImages = tree({
      'c/kustomization.yaml': `${component}images: [{ name: a, newTag: b }]\n`,
      'kustomization.yaml': 'resources: []\ncomponents: [c]\n',
    });
    dirs.push(asResource, withImages);
    assert.throws(() => renderKustomization(asResource), /goes under "components"/);
    assert.throws(() => renderKustomization(withImages), /"images" in a component/);
  });

  const refused: { name: string; kustomization: string; expect: RegExp }[] = [
    {
      name: 'an unsupported field',
      kustomization: 'resources: [web.yaml]\ncommonLabels: { a: b }\n',
      expect: /"commonLabels" is not supported/,
    },
    {
      name: 'a strategic-merge patch',
      kustomization: 'resources: [web.yaml]\npatches: [{ patch: "spec: { replicas: 2 }" }]\n',
      expect: /only JSON 6902/,
    },
    {
      name: 'a patch that matches nothing',
      kustomization: 'resources: [web.yaml]\npatches: [{ target: { name: nope }, patch: "[]" }]\n',
      expect: /matches nothing/,
    },
    {
      name: 'replicas for an unknown workload',
      kustomization: 'resources: [web.yaml]\nreplicas: [{ name: nope, count: 2 }]\n',
      expect: /unknown workload "nope"/,
    },
  ];
  for (const { name, kustomization, expect } of refused) {
    it(`refuses ${name}`, () => {
      const dir = tree({ 'kustomization.yaml': kustomization, 'web.yaml': DEPLOYMENT });
      dirs.push(dir);
      assert.throws(() => renderKustomization(dir), expect);
    });
  }

  // The faithfulness guard: where a kustomize binary exists, both renderings must be identical.
  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  for (const overlay of overlayNames()) {
    it(
      `renders overlays/${overlay} exactly as kubectl kustomize does`,
      { skip: kubectl ? false : 'kubectl not installed' },
      () => {
        const output = spawnSync('kubectl', ['kustomize', overlayDir(overlay)], {
          encoding: 'utf8',
        });
        assert.equal(output.status, 0, output.stderr);
        const theirs = parseAllDocuments(output.stdout).map(
          (document) => document.toJS() as K8sObject,
        );
        assert.deepEqual(byId(renderKustomization(overlayDir(overlay))), byId(theirs));
      },
    );
  }

  it(
    'renders overlays/production with the requests/s autoscaling component exactly as kubectl kustomize does',
    { skip: kubectl ? false : 'kubectl not installed' },
    () => {
      const dir = overlayWithComponents('production', ['optional/hpa-requests-per-second']);
      dirs.push(dir);
      const output = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
      assert.equal(output.status, 0, output.stderr);
      const theirs = parseAllDocuments(output.stdout).map(
        (document) => document.toJS() as K8sObject,
      );
      assert.deepEqual(byId(renderKustomization(dir)), byId(theirs));
    },
  );
});
