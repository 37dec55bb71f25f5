import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
