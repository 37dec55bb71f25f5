import type { Source } from '@crm/contracts';

const enc = (pairs: [string, string | number][]) =>
  pairs
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');

/** A Kommo account webhook with `items` leads (custom fields, Cyrillic): one event per lead. */
function kommoBody(n: number, items: number): string {
  const pairs: [string, string | number][] = [];
  for (let i = 0; i < items; i++) {
    const p = `leads[update][${i}]`;
    pairs.push(
      [`${p}[id]`, n * items + i + 1],
      [`${p}[name]`, `Сделка ${n}-${i}`],
      [`${p}[status_id]`, 142],
      [`${p}[pipeline_id]`, 3000],
      [`${p}[price]`, 1500 + i],
      [`${p}[responsible_user_id]`, 77],
      [`${p}[last_modified]`, 1_700_000_000 + n],
      [`${p}[custom_fields][0][id]`, 111],
      [`${p}[custom_fields][0][name]`, 'Телефон'],
      [`${p}[custom_fields][0][values][0][value]`, '+7 916 123-45-67'],
      [`${p}[custom_fields][0][values][0][enum]`, 201],
    );
  }
  pairs.push(['account[id]', 9884604], ['account[subdomain]', 'bench']);
  return enc(pairs);
}

function chatBody(n: number): string {
  return JSON.stringify({
    account_id: 'af9945ff-1490-4cad-807d-945c15d88bec',
    time: 1_700_000_000 + n,
    message: {
      receiver: { id: 'sk-1376265f', phone: '14151112233' },
      sender: { id: 'd8d9f9c4-9611-4794-a136-a253a13e1bb5' },
      conversation: { id: `skc-${n % 200}` },
      timestamp: 1_700_000_000 + n,
      message: { id: `msg-${n}`, type: 'text', text: `Сообщение ${n}` },
    },
  });
}

function pipelinerBody(n: number, items: number): string {
  const events = [
    'Opportunity.Move',
    'Opportunity.Update',
    'Account.Create',
    'Contact.Update',
    'Task.Comment',
  ];
  return JSON.stringify(
    Array.from({ length: items }, (_, i) => ({
      webhook: { id: '5f0c9c4e-3c1a-4c38-9d7e-2a1f2d3b4c5d', events: ['*'] },
      event: events[i % events.length],
      event_time: new Date(1_700_000_000_000 + n * 1000 + i).toISOString(),
      team_space_id: 'bench',
      related_entity: null,
      entity: {
        id: `00000000-0000-4000-8000-${String(n * items + i).padStart(12, '0')}`,
        name: `Entity ${n}-${i}`,
        owner_id: 'owner-1',
        step_id: 'step-2',
        pipeline_id: 'pipe-1',
        value: { base_value: 1000 + i, currency_id: 'EUR' },
        modified: '2023-03-01T10:05:12.000000Z',
      },
    })),
  );
}

export interface BenchSubject {
  readonly app: string;
  readonly source: Source;
  readonly label: 'kommo' | 'kommo_chat' | 'pipeliner';
  readonly records: number;
  readonly eventsPerRecord: number;
  body(n: number): string;
}

export function benchSubjects(scale: number): BenchSubject[] {
  return [
    {
      app: 'normalizer-kommo',
      source: 'kommo',
      label: 'kommo',
      records: Math.round(12_000 * scale),
      eventsPerRecord: 5,
      body: (n) => kommoBody(n, 5),
    },
    {
      app: 'normalizer-kommo-chat',
      source: 'kommo-chat',
      label: 'kommo_chat',
      records: Math.round(60_000 * scale),
      eventsPerRecord: 1,
      body: chatBody,
    },
    {
      app: 'normalizer-pipeliner',
      source: 'pipeliner',
      label: 'pipeliner',
      records: Math.round(6_000 * scale),
      eventsPerRecord: 10,
      body: (n) => pipelinerBody(n, 10),
    },
  ];
}
