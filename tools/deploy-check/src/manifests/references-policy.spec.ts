import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderKustomization, type K8sObject } from '../kustomize/render-kustomization.js';
import { ingressOf, objectOf } from './rendered-objects.js';
import { overlayDir } from './overlays.js';
import { platformProblems } from './platform-policy.js';

type Service = K8sObject & {
  spec: { clusterIP?: string; selector?: Record<string, string>; ports?: unknown[] };
};

describe('what refers to the ingress StatefulSet', () => {
  const production = renderKustomization(overlayDir('production'));
  const without = (objects: K8sObject[], kind: string, name?: string): void => {
    const index = objects.findIndex(
      (object) => object.kind === kind && (name === undefined || object.metadata.name === name),
    );
    assert.ok(index >= 0, `${kind}/${name ?? '*'}`);
    objects.splice(index, 1);
  };
  const broken: { name: string; mutate: (objects: K8sObject[]) => void; expect: RegExp }[] = [
    {
      name: 'an HPA aimed at the old Deployment',
      mutate: (objects) => {
        const hpa = objectOf<K8sObject & { spec: { scaleTargetRef: { kind: string } } }>(
          objects,
          'HorizontalPodAutoscaler',
          'ingress',
        );
        hpa.spec.scaleTargetRef.kind = 'Deployment';
      },
      expect:
        /HorizontalPodAutoscaler\/ingress: scaleTargetRef apps\/v1 Deployment\/ingress is not rendered/,
    },
    {
      name: 'no governing Service',
      mutate: (objects) => without(objects, 'Service', 'ingress-headless'),
      expect: /StatefulSet\/ingress: serviceName "ingress-headless" must be a headless Service/,
    },
    {
      name: 'a governing Service that is not headless',
      mutate: (objects) => {
        delete objectOf<Service>(objects, 'Service', 'ingress-headless').spec.clusterIP;
      },
      expect: /serviceName "ingress-headless" must be a headless Service/,
    },
    {
      name: 'a webhook Service that misses the pods',
      mutate: (objects) => {
        objectOf<Service>(objects, 'Service', 'ingress').spec.selector = { app: 'ingress' };
      },
      expect: /StatefulSet\/ingress: no Service selects its pods on port http/,
    },
    {
      name: 'ingress pods scraped twice (the headless Service with the http port)',
      mutate: (objects) => {
        objectOf<Service>(objects, 'Service', 'ingress-headless').spec.ports = [
          { name: 'http', port: 8080, targetPort: 'http' },
        ];
      },
      expect:
        /StatefulSet\/ingress: ServiceMonitor\/crm-webhook scrapes its pods through 2 Services \(ingress, ingress-headless\)/,
    },
    {
      name: 'ingress pods not scraped',
      mutate: (objects) => {
        objectOf<Service>(objects, 'Service', 'ingress').metadata.labels = {};
      },
      expect:
        /StatefulSet\/ingress: ServiceMonitor\/crm-webhook scrapes its pods through 0 Services/,
    },
    {
      name: 'no NetworkPolicy and no PodDisruptionBudget over the StatefulSet',
      mutate: (objects) => {
        without(objects, 'PodDisruptionBudget', 'ingress');
        without(objects, 'NetworkPolicy');
        without(objects, 'NetworkPolicy');
      },
      expect:
        /StatefulSet\/ingress: no PodDisruptionBudget selects its pods[^]*StatefulSet\/ingress: no NetworkPolicy selects its pods/,
    },
    {
      name: 'the HPA-owned replica count set on the StatefulSet',
      mutate: (objects) => {
        ingressOf(objects).spec.replicas = 3;
      },
      expect: /ingress: spec.replicas must be unset/,
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
