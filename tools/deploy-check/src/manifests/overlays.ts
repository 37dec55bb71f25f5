import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from src/ (tsx) or dist/ (compiled specs) alike. */
export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
export const KUBERNETES_DIR = join(ROOT, 'tools/deploy/kubernetes');

/** Every overlay directory under tools/deploy/kubernetes/overlays. */
export function overlayNames(): string[] {
  return readdirSync(join(KUBERNETES_DIR, 'overlays'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export function overlayDir(name: string): string {
  return join(KUBERNETES_DIR, 'overlays', name);
}

/**
 * A kustomization of an overlay plus optional components (paths under
 * tools/deploy/kubernetes), as a user's overlay would list them. Kustomize takes
 * only relative paths, so it is written inside the repository (this project's
 * dist/, which git ignores); remove it with rmSync when done.
 */
export function overlayWithComponents(overlay: string, components: readonly string[]): string {
  const parent = join(ROOT, 'tools/deploy-check/dist');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'overlay-'));
  const from = (path: string): string => relative(dir, path);
  writeFileSync(
    join(dir, 'kustomization.yaml'),
    [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      `  - ${from(overlayDir(overlay))}`,
      'components:',
      ...components.map((component) => `  - ${from(join(KUBERNETES_DIR, component))}`),
      '',
    ].join('\n'),
  );
  return dir;
}
