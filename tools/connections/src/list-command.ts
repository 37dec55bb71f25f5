import type { ConnectionConfig } from '@crm/contracts';
import { CommandFailure, InputError } from './cli-errors.js';
import type { ConnectionsCommand } from './connections-command.js';
import {
  loadConnectionsFile,
  locateConnectionsFile,
  validateConnectionsText,
} from './connections-file.js';
import { formatAge, healthByConnection, healthStatus, type Health } from './connection-health.js';
import type { Io } from './io.js';
import { parsePrometheusText, type Sample } from '@crm/observability/metrics';

const SCRAPE_TIMEOUT_MS = 10_000;

async function scrape(url: string, io: Io): Promise<Sample[]> {
  let text: string;
  try {
    const response = await io.fetch(url, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    text = await response.text();
  } catch (error) {
    throw new CommandFailure(
      'scrape_failed',
      `cannot read metrics from ${url}: ${(error as Error).message}`,
    );
  }
  try {
    return parsePrometheusText(text);
  } catch (error) {
    throw new CommandFailure(
      'bad_metrics',
      `${url} is not Prometheus text: ${(error as Error).message}`,
    );
  }
}

function account(connection: ConnectionConfig): string {
  const parts = [connection.account?.id, connection.account?.subdomain].filter(
    (part) => part !== undefined,
  );
  return parts.length > 0 ? parts.join('/') : '-';
}

function healthColumns(
  health: Health | undefined,
  connection: ConnectionConfig,
  nowMs: number,
): string[] {
  const last = health?.lastReceived;
  return [
    `received=${health?.received ?? 0}`,
    `last=${last === undefined ? 'never' : `${formatAge(nowMs / 1000 - last)} ago`}`,
    `refused=${health?.refused ?? 0}`,
    `unauthenticated=${health?.unauthenticated ?? 0}`,
    healthStatus(health, connection.expectEveryMinutes, nowMs),
  ];
}

/** Rows padded to aligned columns. */
function table(rows: readonly string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '),
  );
}

export async function runList(
  command: Extract<ConnectionsCommand, { kind: 'list' }>,
  io: Io,
): Promise<number> {
  const loaded = await loadConnectionsFile(await locateConnectionsFile(command.file, io.env));
  if (loaded.text === undefined) throw new InputError('no_file', `${loaded.path} does not exist`);
  const { connections } = validateConnectionsText(loaded.text);
  const scrapes = await Promise.all(command.metricsUrls.map((url) => scrape(url, io)));
  const health = healthByConnection(scrapes, new Map(connections.map((c) => [c.id, c.source])));
  const nowMs = io.now();
  const rows = connections.map((connection) => {
    const row = [
      connection.id,
      connection.source,
      account(connection),
      `secrets=${connection.secrets.length}`,
      `expect=${connection.expectEveryMinutes === undefined ? '-' : `${connection.expectEveryMinutes}m`}`,
    ];
    return scrapes.length > 0
      ? [...row, ...healthColumns(health.get(connection.id), connection, nowMs)]
      : row;
  });
  if (connections.length === 0) io.out(`no connections in ${loaded.path}`);
  for (const line of table(rows)) io.out(line);
  return 0;
}
