import type { K8sObject } from '../kustomize/render-kustomization.js';
import { modelModule } from './k8s-models.js';

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

interface ValidationError {
  readonly errors?: readonly { instancePath?: string; message?: string }[];
  readonly message: string;
}

/**
 * Validates an object against the Kubernetes OpenAPI schema of its
 * apiVersion/kind (compiled into kubernetes-models): types, required fields,
 * enums, formats. Returns the problems; an unknown apiVersion/kind is one.
 */
export async function validateSchema(object: K8sObject): Promise<string[]> {
  const where = `${object.kind}/${object.metadata.name}`;
  let model: ModelClass | undefined;
  try {
    const module = (await import(modelModule(object.apiVersion, object.kind))) as Record<
      string,
      ModelClass
    >;
    model = module[object.kind];
  } catch {
    model = undefined;
  }
  if (model === undefined) return [`${where}: no schema for ${object.apiVersion} ${object.kind}`];
  try {
    new model(object).validate();
    return [];
  } catch (error) {
    const { errors, message } = error as ValidationError;
    return errors && errors.length > 0
      ? errors.map(
          (entry) => `${where}: ${entry.instancePath || '/'} ${entry.message ?? 'is invalid'}`,
        )
      : [`${where}: ${message}`];
  }
}
