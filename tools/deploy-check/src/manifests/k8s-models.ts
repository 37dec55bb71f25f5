/** Where kubernetes-models keeps the model of an apiVersion/kind (the prometheus-operator CRDs in their own package). */
export function modelModule(apiVersion: string, kind: string): string {
  if (apiVersion.startsWith('monitoring.coreos.com/'))
    return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/** The model's TypeScript interface, e.g. `IDeployment` (used by the strict field check). */
export function modelInterface(kind: string): string {
  return `I${kind}`;
}
