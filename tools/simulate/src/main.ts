import { request } from 'node:http';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConnectionsRegistry, type ResolvedConnection } from '@crm/connections';
import { isSource } from '@crm/contracts';
import { sampleWebhook, type SampleWebhook } from '@crm/testing';

const HELP = `usage: npm run simulate -- [options]

  Sends realistic CRM webhooks (tools/simulate) to an ingress URL.

  --url URL            ingress base URL (default http://127.0.0.1:8080)
  --connections FILE   connections file whose secrets sign the requests
                       (default $CONNECTIONS_FILE or tools/start/connections.example.yaml)
  --sources LIST       comma-separated sources to use (default: every connection's)
  --count N            webhooks to send (default 20)
  --rate R             webhooks per second, 0 = as fast as possible (default 10)
  --concurrency C      requests in flight at most (default 4)
  -h, --help           this text
`;

interface Outcome {
  status: number;
  kind: string;
  connection: string;
}

interface Reply {
  readonly status: number;
  /** The `error` of a non-2xx JSON reply (e.g. `not_confirmed_timeout`), or the transport error. */
  readonly error?: string;
}

function errorOf(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed)
      return String(parsed.error);
  } catch {
    // not JSON: no error field to show
  }
  return undefined;
}

function post(base: string, sample: SampleWebhook): Promise<Reply> {
  return new Promise((resolveReply) => {
    const req = request(
      new URL(sample.path, base),
      {
        method: 'POST',
        headers: {
          ...sample.headers,
          'content-type': sample.contentType,
          'content-length': sample.body.length,
        },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= 4_096) chunks.push(chunk);
        });
        res.on('end', () => {
          const error =
            status >= 200 && status < 300 ? undefined : errorOf(Buffer.concat(chunks).toString());
          resolveReply(error === undefined ? { status } : { status, error });
        });
      },
    );
    req.on('error', (error) => resolveReply({ status: 0, error: error.message }));
    req.end(sample.body);
  });
}

function parseOptions(): ReturnType<typeof parseSimulateArgs> | undefined {
  try {
    return parseSimulateArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(
      `simulate: ${error instanceof Error ? error.message : String(error)}\n${HELP}`,
    );
    process.exitCode = 2;
    return undefined;
  }
}

function parseSimulateArgs(args: string[]) {
  return parseArgs({
    args,
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8080' },
      connections: { type: 'string' },
      sources: { type: 'string' },
      count: { type: 'string', default: '20' },
      rate: { type: 'string', default: '10' },
      concurrency: { type: 'string', default: '4' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
}

async function main(): Promise<void> {
  const values = parseOptions();
  if (values === undefined) return;
  if (values.help) return void process.stdout.write(HELP);
  const file = resolve(
    values.connections ?? process.env['CONNECTIONS_FILE'] ?? 'tools/start/connections.example.yaml',
  );
  const registry = await ConnectionsRegistry.load(file);
  const wanted = values.sources?.split(',').filter(isSource);
  const targets: ResolvedConnection[] = registry
    .all()
    .filter((c) => !wanted || wanted.includes(c.source));
  if (targets.length === 0) throw new Error(`no connection in ${file} matches --sources`);
  const count = Number(values.count);
  const rate = Number(values.rate);
  const concurrency = Math.max(1, Number(values.concurrency));
  const outcomes: Outcome[] = [];
  const started = Date.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const n = next++;
      if (rate > 0) {
        const due = started + (n * 1000) / rate;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      }
      const connection = targets[n % targets.length] as ResolvedConnection;
      // Each connection cycles through its own source's event kinds.
      const sample = sampleWebhook(connection, Math.floor(n / targets.length));
      const { status, error } = await post(values.url, sample);
      outcomes.push({ status, kind: sample.kind, connection: connection.id });
      process.stdout.write(
        `${status || 'ERR'} ${connection.source}/${connection.id} ${sample.kind}${error === undefined ? '' : ` (${error})`}\n`,
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  registry.close();
  const byStatus = new Map<string, number>();
  for (const outcome of outcomes)
    byStatus.set(
      String(outcome.status || 'error'),
      (byStatus.get(String(outcome.status || 'error')) ?? 0) + 1,
    );
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(
    `sent ${outcomes.length} webhooks to ${targets.length} connections in ${seconds.toFixed(1)} s: ${[...byStatus].map(([s, n]) => `${s}×${n}`).join(', ')}\n`,
  );
  if (outcomes.some((o) => o.status !== 200)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`simulate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
