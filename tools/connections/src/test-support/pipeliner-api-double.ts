import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Pipeliner's REST API, for specs: it implements only
 * "create webhook" as seed 004 documents it (POST .../spaces/{space}/webhooks,
 * JSON body url/events/signature/insecure_ssl/options) and refuses anything
 * else with a 4xx and an error body shaped like the API's
 * (`{ success: false, code, name, message }`).
 */
export interface PipelinerDouble {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** 'refuse': answers a valid request with HTTP 200 and `success: false`. */
  mode: 'create' | 'refuse';
  close(): Promise<void>;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVENT = /^[A-Za-z]+\.(\*|[A-Za-z]+)$/;
const TOP_LEVEL = new Set(['url', 'events', 'signature', 'insecure_ssl', 'options']);
const OPTIONS = new Set([
  'entity',
  'related_entity',
  'skip_keys',
  'chunk_size',
  'chunk_delay',
  'custom_entity_api_name',
]);
const ENTITY_OPTIONS = new Set(['expand', 'load-only', 'filter', 'filter-op', 'on-field-change']);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((item) => typeof item === 'string');
const isInt = (v: unknown, min: number, max: number): boolean =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

function entityProblem(name: string, options: unknown): string | undefined {
  if (!isObject(options)) return `options.entity.${name} must be an object`;
  for (const [key, value] of Object.entries(options)) {
    if (!ENTITY_OPTIONS.has(key)) return `options.entity.${name}.${key} is not a webhook option`;
    const ok = key === 'filter' || key === 'filter-op' ? isObject(value) : isStrings(value);
    if (!ok) return `options.entity.${name}.${key} has the wrong type`;
  }
  return undefined;
}

/** The first problem of a create-webhook body, as the API would name it. */
export function bodyProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'body must be a JSON object';
  const unknown = Object.keys(body).find((key) => !TOP_LEVEL.has(key));
  if (unknown) return `unknown field ${unknown}`;
  if (typeof body['url'] !== 'string' || !/^https?:\/\/[^\s]+$/.test(body['url']))
    return 'url must be a URL';
  const events = body['events'];
  if (!isStrings(events) || events.length === 0 || !events.every((e) => EVENT.test(e)))
    return 'events must list events like Account.Create';
  if (
    body['signature'] !== undefined &&
    (typeof body['signature'] !== 'string' || !UUID.test(body['signature']))
  )
    return 'signature has to be UUID';
  if (body['insecure_ssl'] !== undefined && typeof body['insecure_ssl'] !== 'boolean')
    return 'insecure_ssl must be a boolean';
  const options = body['options'];
  if (options === undefined) return undefined;
  if (!isObject(options)) return 'options must be an object';
  const unknownOption = Object.keys(options).find((key) => !OPTIONS.has(key));
  if (unknownOption) return `options.${unknownOption} is not a webhook option`;
  if (options['chunk_size'] !== undefined && !isInt(options['chunk_size'], 1, 100))
    return 'options.chunk_size must be an integer 1-100';
  if (
    options['chunk_delay'] !== undefined &&
    !isInt(options['chunk_delay'], 0, Number.MAX_SAFE_INTEGER)
  )
    return 'options.chunk_delay must be an integer >= 0';
  if (options['skip_keys'] !== undefined && !isStrings(options['skip_keys']))
    return 'options.skip_keys must be a list of strings';
  const entity = options['entity'];
  if (entity === undefined) return undefined;
  if (!isObject(entity)) return 'options.entity must be an object';
  for (const [name, value] of Object.entries(entity)) {
    const problem = entityProblem(name, value);
    if (problem) return problem;
  }
  return undefined;
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function refuse(res: ServerResponse, status: number, name: string, message: string): void {
  answer(res, status, { success: false, code: status, name, message });
}

/** Starts the double on a free port; `credential` is the Basic `username:password` it accepts. */
export async function startPipelinerDouble(
  spaceId: string,
  credential: string,
): Promise<PipelinerDouble> {
  const requests: RecordedRequest[] = [];
  const path = `/api/v100/rest/spaces/${spaceId}/webhooks`;
  const expectedAuth = `Basic ${Buffer.from(credential).toString('base64')}`;
  const double = { mode: 'create' } as { mode: PipelinerDouble['mode'] };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      if (req.url !== path) return refuse(res, 404, 'NotFound', `no route ${req.url ?? ''}`);
      if (req.method !== 'POST')
        return refuse(res, 405, 'MethodNotAllowed', `${req.method ?? ''} not allowed`);
      if (req.headers.authorization !== expectedAuth)
        return refuse(res, 401, 'Unauthorized', 'invalid credentials');
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? ''))
        return refuse(res, 415, 'UnsupportedMediaType', 'send application/json');
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return refuse(res, 400, 'InvalidJson', 'body is not JSON');
      }
      const problem = bodyProblem(parsed);
      if (problem) return refuse(res, 400, 'InvalidInput', problem);
      if (double.mode === 'refuse')
        return answer(res, 200, {
          success: false,
          code: 400,
          name: 'WebhookError',
          message: 'webhook limit reached for this space',
        });
      const now = new Date().toISOString().slice(0, 19);
      answer(res, 200, {
        success: true,
        data: { id: randomUUID(), ...(parsed as object), created: now, modified: now },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(double, {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
