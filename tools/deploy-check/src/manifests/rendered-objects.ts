import assert from 'node:assert/strict';
import type { K8sObject } from '../kustomize/render-kustomization.js';
import type { Container, Workload } from './workloads.js';

/** Spec helpers: find a rendered object and change it in place (on a structuredClone). */
export function objectOf<T extends K8sObject = K8sObject>(
  objects: readonly K8sObject[],
  kind: string,
  name: string,
): T {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  assert.ok(found, `${kind}/${name} not rendered`);
  return found as T;
}

export const ingressOf = (objects: readonly K8sObject[]): Workload =>
  objectOf<Workload>(objects, 'StatefulSet', 'ingress');

export function ingressContainer(objects: readonly K8sObject[]): Container {
  const container = ingressOf(objects).spec.template.spec.containers[0];
  assert.ok(container);
  return container;
}

/** Sets (or adds) an env entry of the ingress container. */
export function setIngressEnv(objects: readonly K8sObject[], name: string, value: string): void {
  const container = ingressContainer(objects);
  const entry = container.env?.find((item) => item.name === name);
  if (entry) entry.value = value;
  else (container.env ??= []).push({ name, value });
}
