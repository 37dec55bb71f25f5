import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { applyJsonPatch, type PatchOperation } from './json-patch.js';

/** A rendered Kubernetes object (the fields this renderer reads are typed; the rest is opaque). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

interface Kustomization {
  kind?: string;
  resources?: string[];
  /** Directories of `kind: Component` kustomizations (resources and patches only). */
  components?: string[];
  namespace?: string;
  labels?: {
    pairs: Record<string, string>;
    includeSelectors?: boolean;
    includeTemplates?: boolean;
  }[];
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  replicas?: { name: string; count: number }[];
  patches?: { path?: string; patch?: string; target?: { kind?: string; name?: string } }[];
}

/**
 * The Kustomize features this project's manifests use, and nothing else, so the
 * overlays render offline without a kustomize binary. Order follows kustomize:
 * resources, components (their resources, then their patches), patches,
 * namespace, labels, replicas, images; local-config objects are dropped.
 */
const SUPPORTED = new Set([
  'apiVersion',
  'kind',
  'resources',
  'components',
  'namespace',
  'labels',
  'images',
  'replicas',
  'patches',
]);
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
]);
const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);
const LOCAL_CONFIG = 'config.kubernetes.io/local-config';

export function renderKustomization(dir: string): K8sObject[] {
  return build(dir).filter((object) => object.metadata.annotations?.[LOCAL_CONFIG] !== 'true');
}

function readKustomization(dir: string): Kustomization {
  const file = join(dir, 'kustomization.yaml');
  if (!existsSync(file)) throw new Error(`${dir}: no kustomization.yaml`);
  const document = parse(readFileSync(file, 'utf8')) as Kustomization;
  for (const key of Object.keys(document)) {
    if (!SUPPORTED.has(key))
      throw new Error(`${file}: "${key}" is not supported by the offline renderer`);
  }
  return document;
}

function loadFile(file: string): K8sObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
      return document.toJS() as K8sObject | null;
    })
    .filter((object): object is K8sObject => object !== null);
}

function loadResources(dir: string, kustomization: Kustomization): K8sObject[] {
  return (kustomization.resources ?? []).flatMap((resource) => {
    const path = join(dir, resource);
    return statSync(path).isDirectory() ? build(path) : loadFile(path);
  });
}

function build(dir: string): K8sObject[] {
  const kustomization = readKustomization(dir);
  if (kustomization.kind === 'Component')
    throw new Error(`${dir}: a Component goes under "components", not "resources"`);
  let objects = loadResources(dir, kustomization);
  for (const component of kustomization.components ?? [])
    objects = applyComponent(join(dir, component), objects);
  for (const entry of kustomization.patches ?? []) objects = applyPatch(dir, objects, entry);
  const namespace = kustomization.namespace;
  if (namespace !== undefined) {
    for (const object of objects)
      if (!CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = namespace;
  }
  for (const { pairs, includeSelectors, includeTemplates } of kustomization.labels ?? []) {
    if (includeSelectors === true || includeTemplates === true)
      throw new Error(`${dir}: labels with includeSelectors/includeTemplates are not supported`);
    for (const object of objects) object.metadata.labels = { ...object.metadata.labels, ...pairs };
  }
  for (const { name, count } of kustomization.replicas ?? []) {
    const targets = objects.filter(
      (object) => SCALABLE.has(object.kind) && object.metadata.name === name,
    );
    if (targets.length === 0) throw new Error(`${dir}: replicas names unknown workload "${name}"`);
    for (const target of targets) (target['spec'] as Record<string, unknown>)['replicas'] = count;
  }
  for (const image of kustomization.images ?? [])
    for (const object of objects) setImages(object, image);
  return objects;
}

/** A `kind: Component`: its resources join the parent's, then its patches apply to all of them. */
function applyComponent(dir: string, objects: K8sObject[]): K8sObject[] {
  const component = readKustomization(dir);
  if (component.kind !== 'Component') throw new Error(`${dir}: not a kind: Component`);
  const unsupported = Object.keys(component).filter(
    (key) => !['apiVersion', 'kind', 'resources', 'patches'].includes(key),
  );
  if (unsupported.length > 0)
    throw new Error(`${dir}: "${unsupported.join('", "')}" in a component is not supported`);
  let all = [...objects, ...loadResources(dir, component)];
  for (const entry of component.patches ?? []) all = applyPatch(dir, all, entry);
  return all;
}

function applyPatch(
  dir: string,
  objects: K8sObject[],
  entry: NonNullable<Kustomization['patches']>[number],
): K8sObject[] {
  const text =
    entry.patch ??
    (entry.path !== undefined ? readFileSync(join(dir, entry.path), 'utf8') : undefined);
  if (text === undefined) throw new Error(`${dir}: a patch needs "patch" or "path"`);
  const operations: unknown = parse(text);
  if (!Array.isArray(operations))
    throw new Error(`${dir}: only JSON 6902 patches (a list of operations) are supported`);
  const { kind, name } = entry.target ?? {};
  const matches = (object: K8sObject): boolean =>
    (kind === undefined || object.kind === kind) &&
    (name === undefined || new RegExp(`^(?:${name})$`).test(object.metadata.name));
  if (!objects.some(matches))
    throw new Error(`${dir}: patch target ${kind ?? '*'}/${name ?? '*'} matches nothing`);
  return objects.map((object) =>
    matches(object) ? applyJsonPatch(object, operations as PatchOperation[]) : object,
  );
}

/** Kustomize's image transformer: every containers[]/initContainers[] image whose name matches. */
function setImages(node: unknown, image: NonNullable<Kustomization['images']>[number]): void {
  if (Array.isArray(node)) {
    for (const item of node) setImages(item, image);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
      for (const container of value as { image?: string }[]) {
        if (container.image !== undefined) container.image = retag(container.image, image);
      }
    } else {
      setImages(value, image);
    }
  }
}

function retag(reference: string, image: NonNullable<Kustomization['images']>[number]): string {
  const match = /^(.+?)(?::([^:/@]+))?(?:@(.+))?$/.exec(reference);
  if (!match || match[1] !== image.name) return reference;
  const name = image.newName ?? image.name;
  if (image.digest !== undefined) return `${name}@${image.digest}`;
  const tag = image.newTag ?? match[2];
  return tag !== undefined ? `${name}:${tag}` : name;
}
