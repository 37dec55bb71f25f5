import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TOPIC_SPECS } from '@crm/contracts';
import { renderKustomization, type K8sObject } from '../kustomize/render-kustomization.js';
import { ROOT, overlayDir, overlayNames, overlayWithComponents } from './overlays.js';
import { platformProblems } from './platform-policy.js';
import { strictFieldProblems } from './strict-fields.js';
import { jobReplication, jobTopics } from './topics-job.js';
import { validateSchema } from './validate-schema.js';
import { platformWorkloads, type Workload } from './workloads.js';

const EXPECTED_TOPICS = TOPIC_SPECS.map(
  (spec) => `${spec.name}:${spec.partitions}:${spec.retentionMs}:${spec.maxMessageBytes}`,
);
const APPS = readdirSync(join(ROOT, 'apps'), { withFileTypes: true })
  .filter(
    (entry) => entry.isDirectory() && existsSync(join(ROOT, 'apps', entry.name, 'project.json')),
  )
  .map((entry) => entry.name);

async function schemaProblems(objects: readonly K8sObject[]): Promise<string[]> {
  return (await Promise.all(objects.map((object) => validateSchema(object)))).flat();
}

describe('Kubernetes manifests (tools/deploy/kubernetes)', () => {
  it('has the production and local overlays', () => {
    assert.deepEqual(overlayNames(), ['local', 'production']);
  });

  for (const overlay of overlayNames()) {
    describe(`overlays/${overlay}`, () => {
      const objects = renderKustomization(overlayDir(overlay));

      it('validates against the Kubernetes (and prometheus-operator) schemas', async () => {
        assert.ok(objects.length > 20, `only ${objects.length} objects rendered`);
        assert.deepEqual(await schemaProblems(objects), []);
      });

      it('uses no field the Kubernetes API does not define', () => {
        assert.deepEqual(strictFieldProblems(objects, ROOT), []);
      });

      it('runs every service like production: probes, resources, PDB, HPA, drain, sizing, policy', () => {
        assert.deepEqual(platformProblems(objects), []);
      });

      it('deploys every app under apps/', () => {
        const names = platformWorkloads(objects).map((workload) => workload.metadata.name);
        for (const app of APPS) assert.ok(names.includes(app), `no workload for apps/${app}`);
      });

      it('creates exactly the topics of libs/contracts, with partitions, retention and size limit', () => {
        assert.deepEqual(jobTopics(objects), EXPECTED_TOPICS);
      });
    });
  }

  it('replicates production topics 3 times with min.insync.replicas 2', () => {
    assert.deepEqual(jobReplication(renderKustomization(overlayDir('production'))), {
      replicationFactor: 3,
      minInsync: 2,
    });
  });

  it('keeps the optional requests/s autoscaling component applicable, valid and aimed at the StatefulSet', async () => {
    const dir = overlayWithComponents('production', ['optional/hpa-requests-per-second']);
    try {
      const objects = renderKustomization(dir);
      const patched = objects.find((object) => object.kind === 'HorizontalPodAutoscaler');
      assert.ok(patched);
      const spec = patched['spec'] as {
        scaleTargetRef: { kind: string; name: string };
        metrics: { type: string; pods?: { metric: { name: string } } }[];
      };
      assert.deepEqual(spec.scaleTargetRef, {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        name: 'ingress',
      });
      assert.deepEqual(
        spec.metrics.map((metric) => metric.pods?.metric.name ?? metric.type),
        ['Resource', 'ingress_requests_per_second'],
      );
      assert.deepEqual(await validateSchema(patched), []);
      assert.deepEqual(strictFieldProblems([patched], ROOT), []);
      assert.deepEqual(platformProblems(objects), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('the checks fail on broken manifests', () => {
    const objects = renderKustomization(overlayDir('production'));
    const workload = (name: string, list: K8sObject[]): Workload => {
      const found = platformWorkloads(list).find((entry) => entry.metadata.name === name);
      assert.ok(found, name);
      return found;
    };

    it('a schema violation', async () => {
      const broken = structuredClone(objects);
      (workload('verifier', broken).spec as Record<string, unknown>)['replicas'] = 'six';
      assert.match(
        (await schemaProblems(broken)).join('\n'),
        /Deployment\/verifier: \/spec\/replicas must be integer/,
      );
    });

    it('a misspelt field', () => {
      const broken = structuredClone(objects);
      const container = workload('verifier', broken).spec.template.spec
        .containers[0] as unknown as Record<string, unknown>;
      container['readinesProbe'] = container['readinessProbe'];
      assert.match(
        strictFieldProblems(broken, ROOT).join('\n'),
        /Deployment\/verifier: .*'"readinesProbe"' does not exist/,
      );
    });

    it('missing probes, more consumers than partitions, a short grace period', () => {
      const broken = structuredClone(objects);
      const verifier = workload('verifier', broken);
      verifier.spec.replicas = 13;
      delete verifier.spec.template.spec.containers[0]?.readinessProbe;
      workload('ingress', broken).spec.template.spec.terminationGracePeriodSeconds = 5;
      const problems = platformProblems(broken).join('\n');
      assert.match(problems, /verifier\/verifier: readinessProbe must GET \/readyz/);
      assert.match(problems, /verifier: 13 replicas but at most 12 partitions/);
      assert.match(
        problems,
        /StatefulSet\/ingress: terminationGracePeriodSeconds 5 s does not outlast the 37500 ms drain/,
      );
    });
  });
});
