import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMetricsServer } from './test-support/metrics-server.js';
import { runCli, tempDir } from './test-support/run-cli.js';

const NOW = Date.parse('2026-01-10T12:00:00Z');
const AT = (secondsAgo: number): number => NOW / 1000 - secondsAgo;

const FILE = `connections:
  - id: fresh
    source: kommo
    account: { id: 9884604, subdomain: acme }
    secrets: ['a', 'b']
    expectEveryMinutes: 60
  - id: quiet
    source: amocrm
    secrets: ['c']
    expectEveryMinutes: 30
  - id: unused
    source: pipeliner
    secrets: ['01234567-abcd-dcba-ffff-000000000000']
  - id: wrong-token
    source: kommo
    secrets: ['d']
  - id: throttled
    source: kommo-chat
    secrets: ['e']
`;

/** Two ingress pods: counters must be summed, timestamps maxed. */
const POD_A = `# HELP crm_webhooks_received_total Webhooks accepted
# TYPE crm_webhooks_received_total counter
crm_webhooks_received_total{source="kommo",connection="fresh"} 7
crm_webhooks_received_total{source="amocrm",connection="quiet"} 2
crm_webhooks_received_total{source="kommo-chat",connection="throttled"} 1
crm_webhook_last_received_timestamp_seconds{connection="fresh"} ${AT(600)}
crm_webhook_last_received_timestamp_seconds{connection="quiet"} ${AT(7200)}
crm_webhook_last_received_timestamp_seconds{connection="throttled"} ${AT(30)}
ingress_refused_total{source="kommo-chat",connection="throttled",reason="rate_limited"} 3
ingress_unauthenticated_total{source="kommo",connection="wrong-token",outcome="refused"} 4
ingress_refused_total{source="kommo",connection="wrong-token",reason="unauthenticated"} 4
`;
const POD_B = `crm_webhooks_received_total{source="kommo",connection="fresh"} 5
crm_webhook_last_received_timestamp_seconds{connection="fresh"} ${AT(120)}
ingress_refused_total{source="kommo",connection="fresh",reason="body_too_large"} 1
ingress_unauthenticated_total{source="kommo",connection="wrong-token",outcome="stored"} 1
crm_webhooks_received_total{source="pipeliner",connection="fresh"} 100
`;

function line(stdout: string, id: string): string {
  return stdout.split('\n').find((l) => l.startsWith(`${id} `)) ?? '';
}

describe('connections list', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let pods: Awaited<ReturnType<typeof startMetricsServer>>[];

  before(async () => {
    tmp = await tempDir();
    await tmp.write(FILE);
    pods = [await startMetricsServer(POD_A), await startMetricsServer(POD_B)];
  });
  after(async () => {
    await Promise.all(pods.map((pod) => pod.close()));
    await tmp.remove();
  });

  it('one line per connection: id, source, account, secrets, expectEveryMinutes', async () => {
    const run = await runCli(['list', '--file', tmp.file], {});
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.split('\n').length, 5);
    assert.match(line(run.stdout, 'fresh'), /^fresh +kommo +9884604\/acme +secrets=2 +expect=60m$/);
    assert.match(line(run.stdout, 'unused'), /^unused +pipeliner +- +secrets=1 +expect=-$/);
  });

  it('with two metrics URLs: sums, newest timestamp, age and status per connection', async () => {
    const run = await runCli(
      ['list', '--file', tmp.file, ...pods.flatMap((pod) => ['--metrics-url', pod.url])],
      {},
      NOW,
    );
    assert.equal(run.code, 0, run.stderr);
    const expected: Record<string, RegExp> = {
      // 7 + 5 from the kommo series; the pipeliner-labelled sample is not this connection's.
      fresh: /received=12 +last=2m ago +refused=1 +unauthenticated=0 +ok$/,
      quiet: /received=2 +last=2h ago +refused=0 +unauthenticated=0 +silent$/,
      unused: /received=0 +last=never +refused=0 +unauthenticated=0 +never$/,
      // Its 401s are refusals with reason unauthenticated: counted once, as unauthenticated.
      'wrong-token': /received=0 +last=never +refused=0 +unauthenticated=5 +failing-auth$/,
      throttled: /received=1 +last=30s ago +refused=3 +unauthenticated=0 +refused$/,
    };
    for (const [id, pattern] of Object.entries(expected))
      assert.match(line(run.stdout, id), pattern, id);
  });

  it('a metrics URL that does not answer fails with exit 1 and names it', async () => {
    const run = await runCli(
      ['list', '--file', tmp.file, '--metrics-url', 'http://127.0.0.1:1/metrics'],
      {},
    );
    assert.equal(run.code, 1);
    assert.match(run.stderr, /cannot read metrics from http:\/\/127\.0\.0\.1:1\/metrics/);
  });
});
