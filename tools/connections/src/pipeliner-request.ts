import { InputError } from './cli-errors.js';
import type { EntityOptions, RegisterOptions } from './register-args.js';
import { HIDDEN } from './secrets.js';

/** The body of Pipeliner's "create webhook" call, field names as seed 004 documents them. */
export interface PipelinerWebhookBody {
  url: string;
  events: string[];
  /** A UUID: Pipeliner signs each delivery with HMAC-SHA256 keyed by it (WebHook-Signature). */
  signature: string;
  insecure_ssl: boolean;
  options?: {
    entity?: Record<string, EntityOptions>;
    skip_keys?: string[];
    chunk_size?: number;
    chunk_delay?: number;
  };
}

export interface PipelinerRequest {
  readonly method: 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: PipelinerWebhookBody;
}

function authorization(options: RegisterOptions, credential: string): string {
  if (options.auth === 'bearer') return `Bearer ${credential}`;
  if (!credential.includes(':'))
    throw new InputError(
      'bad_api_token',
      `--auth basic takes $${options.apiTokenEnv} as "username:password" (Pipeliner API key and secret)`,
    );
  return `Basic ${Buffer.from(credential, 'utf8').toString('base64')}`;
}

export function buildRegisterRequest(
  options: RegisterOptions,
  webhookUrl: string,
  signature: string,
  credential: string | undefined,
): PipelinerRequest {
  const path = options.pathTemplate.replace('{spaceId}', encodeURIComponent(options.spaceId ?? ''));
  const pipelinerOptions: NonNullable<PipelinerWebhookBody['options']> = {
    ...(Object.keys(options.entity).length > 0 ? { entity: { ...options.entity } } : {}),
    ...(options.skipKeys.length > 0 ? { skip_keys: [...options.skipKeys] } : {}),
    ...(options.chunkSize !== undefined ? { chunk_size: options.chunkSize } : {}),
    ...(options.chunkDelay !== undefined ? { chunk_delay: options.chunkDelay } : {}),
  };
  return {
    method: 'POST',
    url: `${options.apiUrl}${path}`,
    headers: {
      // Without a credential (dry run only) the header shows the scheme alone.
      Authorization:
        credential === undefined
          ? `${options.auth === 'bearer' ? 'Bearer' : 'Basic'} <unset>`
          : authorization(options, credential),
      'Content-Type': 'application/json',
      Accept: 'application/json',
    },
    body: {
      url: webhookUrl,
      events: [...options.events],
      signature,
      insecure_ssl: options.insecureSsl,
      ...(Object.keys(pipelinerOptions).length > 0 ? { options: pipelinerOptions } : {}),
    },
  };
}

/** The request as --dry-run prints it: credential always masked, signature unless --show-secret. */
export function describeRequest(request: PipelinerRequest, showSecret: boolean): string[] {
  const headers = Object.entries(request.headers).map(([name, value]) =>
    name === 'Authorization' ? `${name}: ${value.split(' ')[0] ?? ''} ***` : `${name}: ${value}`,
  );
  const body = { ...request.body, signature: showSecret ? request.body.signature : HIDDEN };
  return [`${request.method} ${request.url}`, ...headers, '', JSON.stringify(body, null, 2)];
}
