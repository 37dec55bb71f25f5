import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface OpsServerOptions {
  port: number;
  host?: string;
  registry: Registry;
  /** Ready to take work (Kubernetes readinessProbe). */
  ready: () => boolean;
  /** Alive; false makes the liveness probe fail so the pod is restarted (default: always alive). */
  live?: () => boolean;
}

export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** GET /healthz, /readyz and /metrics for a service that has no HTTP API of its own. */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const reply = (status: number, body: string, type = 'application/json'): void => {
      response.writeHead(status, { 'content-type': type }).end(body);
    };
    if (request.method !== 'GET') return reply(405, '{"error":"method not allowed"}');
    if (path === '/healthz') {
      const live = options.live?.() ?? true;
      return reply(live ? 200 : 503, JSON.stringify({ status: live ? 'ok' : 'failing' }));
    }
    if (path === '/readyz') {
      const ready = options.ready();
      return reply(ready ? 200 : 503, JSON.stringify({ status: ready ? 'ready' : 'not ready' }));
    }
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => reply(200, text, options.registry.contentType),
        (error: unknown) => reply(500, JSON.stringify({ error: String(error) })),
      );
      return;
    }
    reply(404, '{"error":"not found"}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
