import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface AppProcess {
  readonly name: string;
  readonly entry: string;
  readonly env: Record<string, string>;
}

/** Ops ports for the non-ingress services, in name order from here on (START_OPS_PORT moves them). */
const FIRST_OPS_PORT = 9101;

/**
 * Every app under apps/ (`apps/<name>/dist/main.js` once built). Ingress
 * listens on PORT (default 8080) and spools to `.spool/ingress-<port>` in the
 * repository (one directory per ingress: a spool takes one process; an
 * INGRESS_SPOOL_DIR in the environment wins); every other service gets its own
 * ops port (health, metrics) from `firstOpsPort` (default 9101) upwards, in
 * name order.
 */
export function discoverApps(
  root: string,
  ingressPort: string,
  firstOpsPort: string | undefined,
): AppProcess[] {
  const appsDir = join(root, 'apps');
  if (!existsSync(appsDir)) return [];
  const names = readdirSync(appsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(appsDir, entry.name, 'project.json')))
    .map((entry) => entry.name)
    .sort();
  let nextOpsPort = firstOpsPort ? Number(firstOpsPort) : FIRST_OPS_PORT;
  if (!Number.isInteger(nextOpsPort) || nextOpsPort < 1 || nextOpsPort > 65535 - names.length)
    throw new Error(`START_OPS_PORT="${firstOpsPort}" is not a TCP port`);
  return names.map((name): AppProcess => ({
    name,
    entry: join(appsDir, name, 'dist', 'main.js'),
    env:
      name === 'ingress'
        ? {
            PORT: ingressPort,
            INGRESS_SPOOL_DIR:
              process.env['INGRESS_SPOOL_DIR'] ?? join(root, '.spool', `ingress-${ingressPort}`),
            // Within the 20 s that npm start gives every app to stop.
            INGRESS_SPOOL_DRAIN_TIMEOUT_MS:
              process.env['INGRESS_SPOOL_DRAIN_TIMEOUT_MS'] ?? '10000',
          }
        : { PORT: String(nextOpsPort++) },
  }));
}
