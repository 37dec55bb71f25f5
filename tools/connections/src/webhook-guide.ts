import type { Source } from '@crm/contracts';
import { InputError } from './cli-errors.js';
import { HIDDEN, displaySecret, resolveSecret } from './secrets.js';
import { checkHttpUrl } from './values.js';

export const DEFAULT_PUBLIC_URL = 'http://localhost:8080';

/** Where CRMs reach ingress: --public-url, else PUBLIC_URL, else the local default with a note. */
export function publicUrlOf(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
): { url: string; note?: string } {
  if (flag !== undefined) return { url: flag };
  const fromEnv = env['PUBLIC_URL'];
  if (fromEnv !== undefined && fromEnv !== '') {
    try {
      return { url: checkHttpUrl('PUBLIC_URL', fromEnv) };
    } catch (error) {
      throw new InputError('bad_url', (error as Error).message);
    }
  }
  return {
    url: DEFAULT_PUBLIC_URL,
    note: `note: no --public-url or PUBLIC_URL given: ${DEFAULT_PUBLIC_URL} is only reachable from this machine; a CRM needs your public HTTPS address`,
  };
}

export interface GuideInput {
  readonly source: Source;
  readonly id: string;
  readonly publicUrl: string;
  /** The secret the CRM must use now: the connection's first. */
  readonly secret: string;
  readonly showSecret: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly subdomain?: string;
}

/** The exact URL the CRM must call; a URL token only with --show-secret. */
export function webhookUrl(input: GuideInput): string {
  const base = `${input.publicUrl}/webhooks/${input.source}/${input.id}`;
  if (input.source !== 'kommo' && input.source !== 'amocrm') return base;
  if (!input.showSecret) return `${base}?token=${HIDDEN}`;
  const token = resolveSecret(input.secret, input.env);
  return `${base}?token=${token === undefined ? `<value of $${input.secret.slice(4)}>` : encodeURIComponent(token)}`;
}

const KOMMO_LIKE: Readonly<
  Record<'kommo' | 'amocrm', { name: string; domain: string; pipeline: string; retries: string }>
> = {
  kommo: {
    name: 'Kommo',
    domain: 'kommo.com',
    pipeline: 'Leads → Automate (top right)',
    retries: 'Kommo retries a failed digital-pipeline webhook up to 4 times within an hour.',
  },
  amocrm: {
    name: 'amoCRM',
    domain: 'amocrm.ru',
    pipeline: 'Deals (or Customers) → the digital pipeline settings',
    retries: 'amoCRM sends a digital-pipeline webhook once, without retries.',
  },
};

/** Step-by-step configuration in the CRM, after the seeds (vendor docs). */
export function guideLines(input: GuideInput): string[] {
  const url = webhookUrl(input);
  if (input.source === 'kommo' || input.source === 'amocrm') {
    const crm = KOMMO_LIKE[input.source];
    const account = input.subdomain
      ? `https://${input.subdomain}.${crm.domain}`
      : `your ${crm.name} account`;
    return [
      `Configure it in ${crm.name}, ${account} (the URL, token included, is the only credential):`,
      `  Account-wide web hook (every event you tick):`,
      `    1. Settings → Integrations → Web hooks.`,
      `    2. Paste the URL, tick the events (leads, contacts, companies, tasks, ...), save.`,
      `  Or on a pipeline stage (digital pipeline):`,
      `    1. ${crm.pipeline}; under the stage, add an automatic action for all leads.`,
      `    2. Choose "API: Send webhook", pick the event (incoming email, incoming call,`,
      `       incoming chat message, site visit, stage change) and paste the URL.`,
      `    ${crm.retries}`,
      '    These bodies name no account: the URL token alone authenticates them.',
      `Webhook URL: ${url}`,
    ];
  }
  if (input.source === 'kommo-chat')
    return [
      'Configure it in Kommo (chat channel):',
      '  1. The channel secret comes from Kommo: it is issued when your chat channel is registered',
      '     with Kommo, together with the channel id (it is the secret stored in this connection).',
      "  2. Give that URL as the channel's webhook (hook) URL; the webhook format (chat API v1 or v2)",
      '     is the one set when the channel is connected; this endpoint takes both.',
      '  3. Kommo signs each webhook with X-Signature (HMAC-SHA1 of the body, key = channel secret)',
      '     and sends it once: no retries.',
      `Webhook URL: ${url}`,
    ];
  return [
    "Configure it in Pipeliner: webhooks are created through Pipeliner's REST API, not in a settings page:",
    `  npm run connections -- register ${input.id} --api-url https://us-east.api.pipelinersales.com \\`,
    '    --space-id SPACE --api-token env:PIPELINER_API_TOKEN [--events Account.*,Opportunity.*] [--dry-run]',
    `  It sends the URL and this connection's first secret as the webhook's signature (a UUID:`,
    `  ${displaySecret(input.secret, input.showSecret, input.env)}); Pipeliner then signs each delivery`,
    '  with HMAC-SHA256 in the WebHook-Signature header.',
    `Webhook URL: ${url}`,
  ];
}
