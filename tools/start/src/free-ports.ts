import { createServer } from 'node:net';
import { portOpen } from './kafka-tool.js';

/** Below Linux's ephemeral range (32768+), so no outgoing connection takes them meanwhile. */
const FIRST = 20_000;
const LAST = 32_000;

async function bindable(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The first of `count` consecutive ports nothing listens on (ingress, ops ports, a broker's two). */
export async function freePortRange(count: number): Promise<number> {
  for (;;) {
    const first = FIRST + Math.floor(Math.random() * (LAST - FIRST - count));
    const ports = Array.from({ length: count }, (_, i) => first + i);
    const open = await Promise.all(ports.map((port) => portOpen(port, 200)));
    if (open.includes(true)) continue;
    if ((await Promise.all(ports.map(bindable))).every(Boolean)) return first;
  }
}
