import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderKustomization, type K8sObject } from '../kustomize/render-kustomization.js';
import { ingressContainer, ingressOf, setIngressEnv } from './rendered-objects.js';
import { overlayDir, overlayNames } from './overlays.js';
import { platformProblems } from './platform-policy.js';

const SPOOL_DIR = '/var/spool/crm-ingress';

describe('the ingress spool in the manifests', () => {
  for (const overlay of overlayNames()) {
    it(`overlays/${overlay}: ingress spools to its own claim at ${SPOOL_DIR}`, () => {
      const objects = renderKustomization(overlayDir(overlay));
      const ingress = ingressOf(objects);
      const mount = ingressContainer(objects).volumeMounts?.find(
        (entry) => entry.mountPath === SPOOL_DIR,
      );
      assert.equal(mount?.name, 'spool');
      assert.deepEqual(ingress.spec.volumeClaimTemplates?.[0]?.spec.accessModes, ['ReadWriteOnce']);
      assert.deepEqual(ingress.spec.persistentVolumeClaimRetentionPolicy, {
        whenScaled: 'Retain',
        whenDeleted: 'Retain',
      });
    });
  }

  const production = renderKustomization(overlayDir('production'));
  const broken: { name: string; mutate: (objects: K8sObject[]) => void; expect: RegExp }[] = [
    {
      name: 'ingress as a Deployment',
      mutate: (objects) => {
        const ingress = ingressOf(objects);
        ingress.kind = 'Deployment';
        delete ingress.spec.volumeClaimTemplates;
      },
      expect: /Deployment\/ingress: ingress must be a StatefulSet/,
    },
    {
      name: 'the spool turned off',
      mutate: (objects) => setIngressEnv(objects, 'INGRESS_SPOOL_ENABLED', 'false'),
      expect: /StatefulSet\/ingress: the spool is off/,
    },
    {
      name: 'no spool directory',
      mutate: (objects) => setIngressEnv(objects, 'INGRESS_SPOOL_DIR', ''),
      expect: /StatefulSet\/ingress: the spool is off/,
    },
    {
      name: 'no volume at INGRESS_SPOOL_DIR',
      mutate: (objects) => setIngressEnv(objects, 'INGRESS_SPOOL_DIR', '/var/lib/spool'),
      expect: /no volume mounted at INGRESS_SPOOL_DIR \/var\/lib\/spool/,
    },
    {
      name: 'the spool on an emptyDir',
      mutate: (objects) => {
        const mount = ingressContainer(objects).volumeMounts?.find(
          (entry) => entry.mountPath === SPOOL_DIR,
        );
        assert.ok(mount);
        mount.name = 'tmp';
      },
      expect: /is volume "tmp", not a volumeClaimTemplate/,
    },
    {
      name: 'a spool as large as its claim',
      mutate: (objects) => setIngressEnv(objects, 'INGRESS_SPOOL_MAX_BYTES', String(8 * 2 ** 30)),
      expect: /INGRESS_SPOOL_MAX_BYTES 8589934592 exceeds 90 % of its 8Gi claim/,
    },
    {
      name: 'the default 1 GiB spool on a 1Gi claim',
      mutate: (objects) => {
        const container = ingressContainer(objects);
        container.env = container.env?.filter((entry) => entry.name !== 'INGRESS_SPOOL_MAX_BYTES');
        const claim = ingressOf(objects).spec.volumeClaimTemplates?.[0];
        assert.ok(claim?.spec.resources?.requests);
        claim.spec.resources.requests.storage = '1Gi';
      },
      expect: /INGRESS_SPOOL_MAX_BYTES 1073741824 exceeds 90 % of its 1Gi claim/,
    },
    {
      name: 'a grace period shorter than the spool drain',
      mutate: (objects) => setIngressEnv(objects, 'INGRESS_SPOOL_DRAIN_TIMEOUT_MS', '120000'),
      expect:
        /StatefulSet\/ingress: terminationGracePeriodSeconds 60 s does not outlast the 127500 ms drain/,
    },
    {
      name: 'no fsGroup for the claim',
      mutate: (objects) => {
        delete ingressOf(objects).spec.template.spec.securityContext?.fsGroup;
      },
      expect: /StatefulSet\/ingress: volume claims need securityContext.fsGroup/,
    },
    {
      name: 'claims deleted on scale-down',
      mutate: (objects) => {
        ingressOf(objects).spec.persistentVolumeClaimRetentionPolicy = { whenScaled: 'Delete' };
      },
      expect: /persistentVolumeClaimRetentionPolicy.whenScaled Delete drops what its claims hold/,
    },
  ];
  for (const { name, mutate, expect } of broken) {
    it(`fails on ${name}`, () => {
      const objects = structuredClone(production);
      mutate(objects);
      assert.match(platformProblems(objects).join('\n'), expect);
    });
  }
});
