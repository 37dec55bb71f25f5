import assert from 'node:assert/strict';
import { setTimeout as tick } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { RAW_HEADERS } from '@crm/contracts';
import {
  TopicCollector,
  headerString,
  testKafka,
  waitFor,
  type ConsumedRecord,
} from '@crm/testing';
import {
  KOMMO_TOKEN,
  captureLog,
  replyId,
  send,
  startIngress,
  type Reply,
} from './test-support/ingress-harness.js';
import {
  TOKEN_NAME_SPELLINGS,
  encodeFormValue,
  percentEncode,
  seededRandom,
  spellTokenName,
} from './test-support/token-spellings.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const BODY = 'leads%5Bstatus%5D%5B0%5D%5Bid%5D=1&account%5Bid%5D=9884604';
const FLOOD_ADDRESS = '203.0.113.66';
const HONEST_ADDRESS = '198.51.100.7';

/**
 * Sends `perTick` requests every `intervalMs` for `durationMs` (a paced load,
 * not a wait for a state), without waiting for answers between ticks.
 */
async function paced(
  perTick: number,
  intervalMs: number,
  durationMs: number,
  request: (n: number) => Promise<Reply>,
): Promise<Reply[]> {
  const replies: Promise<Reply>[] = [];
  const start = performance.now();
  for (let at = 0; at < durationMs; at += intervalMs) {
    const behind = start + at - performance.now();
    if (behind > 0) await tick(behind);
    for (let i = 0; i < perTick; i += 1) replies.push(request(replies.length));
  }
  return Promise.all(replies);
}

const count = (replies: Reply[], status: number): number =>
  replies.filter((r) => r.status === status).length;

describe('ingress: credentials checked before any budget is spent (real broker)', () => {
  it('a wrong-token flood from one address takes nothing from the honest sender', async () => {
    const log = captureLog();
    // The production default connection budget (100/s, burst 200): the flood alone exceeds it.
    const running = await startIngress(
      { INGRESS_RATE_LIMIT_RPS: '100', INGRESS_RATE_LIMIT_BURST: '200', LOG_LEVEL: 'warn' },
      { logDestination: log.destination },
    );
    const started = performance.now();
    let flood: Reply[];
    let honest: Reply[];
    let metrics: Reply;
    try {
      [flood, honest] = await Promise.all([
        // ~300 req/s for 5 s: 3 every 10 ms.
        paced(3, 10, 5_000, (n) =>
          send(running.url, 'POST', `/webhooks/kommo/t-kommo?token=wrong-${n}`, BODY, {
            ...FORM,
            'x-forwarded-for': FLOOD_ADDRESS,
          }),
        ),
        // 20 req/s with the right token.
        paced(1, 50, 5_000, () =>
          send(
            running.url,
            'POST',
            `/webhooks/kommo/t-kommo?token=${encodeURIComponent(KOMMO_TOKEN)}`,
            BODY,
            { ...FORM, 'x-forwarded-for': HONEST_ADDRESS },
          ),
        ),
      ]);
    } finally {
      metrics = await send(running.url, 'GET', '/metrics');
      await running.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    assert.equal(honest.length, 100);
    assert.deepEqual(
      honest.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.body}`),
      [],
      'every honest request is stored',
    );
    const refused = count(flood, 401);
    const stored = count(flood, 200);
    assert.equal(refused + stored, flood.length, 'the flood gets only 200 or 401');
    assert.ok(refused >= flood.length * 0.8, `${refused} of ${flood.length} refused`);
    // Within the small budget: burst 20 + 2/s for the run.
    assert.ok(stored <= 20 + Math.ceil(2 * seconds) + 1, `${stored} stored in ${seconds} s`);
    const refusal = flood.find((r) => r.status === 401);
    assert.equal(
      (JSON.parse(refusal?.body ?? '{}') as { error?: string }).error,
      'unauthenticated',
    );
    assert.match(
      metrics.body,
      new RegExp(
        `ingress_unauthenticated_total\\{source="kommo",connection="t-kommo",outcome="refused"\\} ${refused}\\b`,
      ),
    );
    assert.match(
      metrics.body,
      new RegExp(
        `ingress_unauthenticated_total\\{source="kommo",connection="t-kommo",outcome="stored"\\} ${stored}\\b`,
      ),
    );
    const lines = log
      .lines()
      .filter((line) => String(line['msg']).startsWith('webhooks failed the credential check'));
    assert.equal(lines.length, 1, 'one line a minute per connection');
    assert.ok(!log.text().includes('wrong-') && !log.text().includes('kommo-url-token'));
  });

  it('no spelling or encoding of the token reaches a raw record; right tokens get 200', async () => {
    // Wrong tokens from many addresses, all within their budgets: every one is stored and scanned.
    const running = await startIngress({
      INGRESS_UNAUTHENTICATED_CONNECTION_RATE_LIMIT_BURST: '100000',
    });
    const next = seededRandom(4_242);
    const sentForms = new Set<string>();
    const plan: { path: string; right: boolean; address: string }[] = [];
    const targets = [
      { path: '/webhooks/kommo/t-kommo', token: KOMMO_TOKEN },
      { path: '/webhooks/amocrm/t-amocrm', token: 'amo-token' },
    ];
    const names = [
      ...TOKEN_NAME_SPELLINGS,
      ...Array.from({ length: 120 }, () => spellTokenName(next)),
    ];
    names.forEach((name, i) => {
      for (const target of targets) {
        for (const right of [true, false]) {
          const token = right ? target.token : `wrong secret ☃ ${i}`;
          const encoded = encodeFormValue(token, next);
          sentForms.add(token).add(encoded).add(encodeURIComponent(token));
          sentForms.add(encodeURIComponent(token).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()));
          sentForms.add([...token].map((ch) => percentEncode(ch, true)).join(''));
          plan.push({
            path: `${target.path}?a=${i}&${name}=${encoded}&z=1`,
            right,
            address: `192.0.2.${i % 250}`,
          });
        }
      }
    });
    let replies: Reply[];
    const collector = await TopicCollector.start(testKafka('ingress-token-fuzz'), running.topic);
    try {
      replies = [];
      for (let i = 0; i < plan.length; i += 32) {
        const batch = plan.slice(i, i + 32).map((request) =>
          send(running.url, 'POST', request.path, BODY, {
            ...FORM,
            'x-forwarded-for': request.address,
          }),
        );
        replies.push(...(await Promise.all(batch)));
      }
      const wrongStatus = plan.map((request, i) => [request, replies[i]] as const);
      assert.deepEqual(
        wrongStatus
          .filter(([request, reply]) => request.right && reply?.status !== 200)
          .map(([request, reply]) => `${request.path} ${reply?.status}`),
        [],
        'every right token is recognised (200)',
      );
      const ids = new Set(replies.filter((r) => r.status === 200).map(replyId));
      assert.ok(ids.size > plan.length * 0.9, `${ids.size} of ${plan.length} stored`);
      const records = await waitFor(
        () => {
          const found = collector.records.filter((r) =>
            ids.has(headerString(r.headers, RAW_HEADERS.webhookId) ?? ''),
          );
          return found.length >= ids.size ? found : undefined;
        },
        { timeoutMs: 30_000, description: `${ids.size} records` },
      );
      // The verifier copies these headers into the rejected topic: scanning raw covers both.
      for (const record of records) {
        const texts = [record.key?.toString() ?? '', ...headerTexts(record)];
        for (const text of texts)
          for (const form of sentForms)
            assert.ok(!text.includes(form), `"${form}" in a record: ${text}`);
      }
      assert.ok(
        records.every((r) =>
          ['a=', 'z=1'].every((p) => headerString(r.headers, RAW_HEADERS.query)?.includes(p)),
        ),
        'the other parameters are kept',
      );
    } finally {
      await collector.stop();
      await running.stop();
    }
  });
});

function headerTexts(record: ConsumedRecord): string[] {
  return Object.keys(record.headers).flatMap((name) => [
    name,
    headerString(record.headers, name) ?? '',
  ]);
}
