import { createHmac } from 'node:crypto';
import type { ResolvedConnection } from '@crm/connections';
import type { Source } from '@crm/contracts';
import { phpHttpBuildQuery, type PhpMap } from './php-http-build-query.js';

export interface SampleWebhook {
  readonly kind: string;
  readonly path: string;
  readonly contentType: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** Builds a body: a PHP array for form sources, any JSON value for the others. */
type Build = (n: number, account: { id: string; subdomain: string }) => unknown;

const now = (): number => Math.floor(Date.now() / 1000);

/** Kommo/amoCRM digital-pipeline and account webhooks (form-encoded, PHP style). */
const KOMMO_KINDS: Record<string, Build> = {
  'dp.leads.status': (n, account) => ({
    leads: {
      status: [
        {
          id: 25_000_000 + n,
          status_id: 34354531,
          pipeline_id: 3273697,
          old_status_id: 35108005,
          old_pipeline_id: 3273697,
        },
      ],
    },
    account,
  }),
  'dp.leads.mail_in': (n, account) => ({
    leads: { mail_in: [{ id: 34_000_000 + n, status_id: 61769054, pipeline_id: 7438250 }] },
    account,
  }),
  'dp.customers.period': (n, account) => ({
    customers: { period: [{ id: 123_000 + n, old_period_id: 1001, period_id: 1002 }] },
    account,
  }),
  'leads.add': (n, account) => ({
    leads: {
      add: [
        {
          id: 1_190_000 + n,
          name: `Сделка #${n}`,
          status_id: 53861254,
          price: 34343,
          responsible_user_id: 9040358,
          pipeline_id: 6254262,
          account_id: account.id,
          created_at: now(),
          updated_at: now(),
        },
      ],
    },
    account: { ...account, _links: { self: `https://${account.subdomain}.kommo.com` } },
  }),
  'contacts.update': (n, account) => ({
    contacts: {
      update: [
        {
          id: 7_000_000 + n,
          name: 'Jane Doe',
          type: 'contact',
          responsible_user_id: 9040358,
          custom_fields: [
            {
              id: 264911,
              name: 'Phone',
              code: 'PHONE',
              values: [{ value: '+1 555 0100', enum: 441 }],
            },
            { id: 264913, name: 'Birthday', values: [1542067200] },
          ],
          updated_at: now(),
        },
      ],
    },
    account,
  }),
  'leads.delete': (n, account) => ({
    leads: { delete: [{ id: 1_190_000 + n, status_id: 142, pipeline_id: 6254262 }] },
    account,
  }),
  'unsorted.add': (n, account) => ({
    unsorted: {
      add: [
        {
          uid: `u-${n}`,
          source: 'form',
          category: 'forms',
          pipeline_id: 6254262,
          created_at: now(),
        },
      ],
    },
    account,
  }),
  'talk.add': (n, account) => ({
    talk: {
      add: [
        {
          talk_id: 500 + n,
          contact_id: 7_000_000 + n,
          chat_id: `c-${n}`,
          entity_id: 1_190_000 + n,
          entity_type: 'lead',
          is_in_work: true,
          created_at: now(),
        },
      ],
    },
    account,
  }),
};

/** Kommo chat-channel (amojo) webhooks: JSON, signed with X-Signature (HMAC-SHA1 hex). */
const CHAT_KINDS: Record<string, Build> = {
  'v2.message': (n) => ({
    account_id: '52e591f7-c98f-4255-8495-827210138c81',
    time: now(),
    message: {
      receiver: { id: '2ed64e26-70a1-4857-8382-bb066a076219', client_id: 'my_int-1376265f' },
      sender: { id: '76fc2bea-902f-425c-9a3d-dcdac4766090' },
      conversation: {
        id: '8e4d4baa-9e6c-4a88-838a-5f62be227bdc',
        client_id: 'my_int-d5a421f7f218',
      },
      timestamp: now(),
      msec_timestamp: Date.now(),
      message: { id: `msg-${n}`, type: 'text', text: `Здравствуйте! #${n}` },
    },
  }),
  'v2.typing': () => ({
    account_id: '52e591f7-c98f-4255-8495-827210138c81',
    time: now(),
    action: {
      typing: {
        user: { id: '76fc2bea-902f-425c-9a3d-dcdac4766090' },
        conversation: { id: '8e4d4baa-9e6c-4a88-838a-5f62be227bdc' },
        expired_at: now() + 5,
      },
    },
  }),
  'v2.reaction': (n) => ({
    account_id: '52e591f7-c98f-4255-8495-827210138c81',
    time: now(),
    action: {
      reaction: {
        conversation: { id: '8e4d4baa-9e6c-4a88-838a-5f62be227bdc' },
        sender: { id: '76fc2bea-902f-425c-9a3d-dcdac4766090' },
        message: { id: `msg-${n}` },
        type: 'react',
        emoji: '👍',
      },
    },
  }),
  'v1.message': (n) => ({
    receiver: 'b55770b5-974f-4dd6-8dd3-0356c08dc600',
    conversation_id: 'a4a5ab10-ea6f-4af4-8514-a8265e5c71bd',
    msec_timestamp: Date.now(),
    type: 'text',
    text: `Можете уточнить адрес доставки заказа? #${n}`,
  }),
};

/** Pipeliner webhooks: a JSON array of events, signed with WebHook-Signature (HMAC-SHA256 hex). */
const PIPELINER_EVENTS = [
  'Account.Create',
  'Opportunity.Move',
  'Opportunity.Won',
  'Lead.Lost',
  'Task.Comment',
];
/** Opportunity fields per the Pipeliner entity docs: stage (step), pipeline and value. */
const PIPELINER_OPPORTUNITY = {
  step_id: '11111111-0000-4000-8000-000000000002',
  pipeline_id: '22222222-0000-4000-8000-000000000001',
  value: { base_value: 12500.5, currency_id: 'EUR', value_foreign: 12500.5 },
};
/** What each event names besides the entity (a move names the previous step, a comment its text). */
const PIPELINER_RELATED: Record<string, unknown> = {
  'Opportunity.Move': { previous_step_id: '11111111-0000-4000-8000-000000000001' },
  'Task.Comment': { id: 'comment-1', text: 'Перезвонить завтра' },
};
const PIPELINER_KINDS: Record<string, Build> = Object.fromEntries(
  PIPELINER_EVENTS.map((event) => [
    event,
    (n: number) => [
      {
        webhook: { id: '5f0c9c4e-3c1a-4c38-9d7e-2a1f2d3b4c5d', events: PIPELINER_EVENTS },
        event,
        event_time: new Date().toISOString(),
        team_space_id: 'nn_space_123',
        related_entity: PIPELINER_RELATED[event] ?? null,
        entity: {
          id: `9b1d2c3e-4f5a-4b6c-8d7e-${String(n).padStart(12, '0')}`,
          name: `Acme ${n}`,
          owner_id: '00000000-0000-0000-0000-000000037eb6',
          created: new Date().toISOString(),
          modified: new Date().toISOString(),
          is_deleted: false,
          ...(event.startsWith('Opportunity.') ? PIPELINER_OPPORTUNITY : {}),
        },
      },
    ],
  ]),
);

export const KINDS: Record<Source, Record<string, Build>> = {
  kommo: KOMMO_KINDS,
  amocrm: KOMMO_KINDS,
  'kommo-chat': CHAT_KINDS,
  pipeliner: PIPELINER_KINDS,
};

/** The n-th sample for a connection, cycling through its source's event kinds, signed as its CRM would. */
export function sampleWebhook(connection: ResolvedConnection, n: number): SampleWebhook {
  const kinds = Object.entries(KINDS[connection.source]);
  const [kind, build] = kinds[n % kinds.length] ?? kinds[0] ?? ['none', () => ({})];
  const account = {
    id: connection.account?.id ?? '9884604',
    subdomain: connection.account?.subdomain ?? 'demo',
  };
  const path = `/webhooks/${connection.source}/${connection.id}`;
  const secret = connection.secrets[0] ?? '';
  if (connection.source === 'kommo' || connection.source === 'amocrm') {
    return {
      kind,
      path: `${path}?token=${encodeURIComponent(secret)}`,
      contentType: 'application/x-www-form-urlencoded',
      headers: { 'user-agent': 'amoCRM-WebHook-client/1.0' },
      body: Buffer.from(phpHttpBuildQuery(build(n, account) as PhpMap)),
    };
  }
  const body = Buffer.from(JSON.stringify(build(n, account)));
  const signature: Record<string, string> =
    connection.source === 'kommo-chat'
      ? { 'x-signature': createHmac('sha1', secret).update(body).digest('hex') }
      : { 'webhook-signature': createHmac('sha256', secret).update(body).digest('hex') };
  return { kind, path, contentType: 'application/json', headers: signature, body };
}
