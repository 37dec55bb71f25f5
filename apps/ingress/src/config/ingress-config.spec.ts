import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EnvironmentError, pinoLevel, validateEnvironment } from '@crm/service-kit';
import { IngressEnvironment, ingressConfig } from './ingress-config.js';

const BASE = { CONNECTIONS_FILE: '/etc/crm/connections.yaml' };
const environment = (env: NodeJS.ProcessEnv) =>
  validateEnvironment('ingress', IngressEnvironment, env);
const ingressConfigFromEnv = (env: NodeJS.ProcessEnv) => ingressConfig(environment(env));

/** The variables named by the problems of an environment that must be refused. */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    environment(env);
  } catch (error) {
    assert.ok(error instanceof EnvironmentError, String(error));
    return error.problems.map((problem) => problem.split(' ')[0] ?? '');
  }
  assert.fail(`accepted ${JSON.stringify(env)}`);
}

describe('IngressEnvironment', () => {
  it('applies the documented defaults', () => {
    const env = environment(BASE);
    assert.equal(env.PORT, 8080);
    assert.equal(env.HOST, '0.0.0.0');
    assert.equal(env.KAFKA_BROKERS, '127.0.0.1:9092');
    assert.equal(env.LOG_LEVEL, 'info');
    const config = ingressConfig(env);
    assert.deepEqual(config, {
      rawTopic: 'crm.webhooks.raw.v1',
      deadlineMs: { kommo: 1_000, amocrm: 1_000, 'kommo-chat': 2_500, pipeliner: 1_000 },
      spool: {
        dir: '/var/spool/crm-ingress',
        maxBytes: 1_073_741_824,
        drainTimeoutMs: 30_000,
      },
      bodyLimitBytes: {
        kommo: 1_048_576,
        amocrm: 1_048_576,
        'kommo-chat': 1_048_576,
        pipeliner: 4_194_304,
      },
      maxBodyBytes: 4_194_304,
      trustedProxies: [],
      // Ceilings against abuse, not ordinary bursts: most senders never retry a 429.
      defaultRateLimit: {
        kommo: { rps: 1_000, burst: 20_000 },
        amocrm: { rps: 1_000, burst: 20_000 },
        'kommo-chat': { rps: 1_000, burst: 20_000 },
        pipeliner: { rps: 1_000, burst: 20_000 },
      },
      unauthenticatedLimits: {
        perAddress: { rps: 2, burst: 20 },
        perConnection: { rps: 10, burst: 100 },
        maxAddresses: 16_384,
      },
      lingerMs: 2,
      maxBatchRecords: 1_000,
      maxBatchBytes: 4_194_304,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 65_000,
      shutdownDelayMs: 0,
    });
  });

  it('reads overrides', () => {
    const env = environment({
      ...BASE,
      PORT: '0',
      KAFKA_BROKERS: 'a:9092, b:9093',
      INGRESS_DEADLINE_MS: '1200',
      INGRESS_SPOOL_DIR: '/data/spool',
      INGRESS_SPOOL_MAX_BYTES: '2097152',
      INGRESS_SPOOL_DRAIN_TIMEOUT_MS: '0',
      INGRESS_TRUSTED_PROXIES: '10.0.0.0/8, ::1',
      INGRESS_RAW_TOPIC: 'test.raw.x',
      INGRESS_RATE_LIMIT_RPS: '2.5',
      INGRESS_RATE_LIMIT_BURST: '7',
      INGRESS_UNAUTHENTICATED_RATE_LIMIT_RPS: '0.5',
      INGRESS_UNAUTHENTICATED_RATE_LIMIT_BURST: '3',
      INGRESS_UNAUTHENTICATED_CONNECTION_RATE_LIMIT_RPS: '4',
      INGRESS_UNAUTHENTICATED_CONNECTION_RATE_LIMIT_BURST: '9',
      INGRESS_LINGER_MS: '0',
      INGRESS_HEADERS_TIMEOUT_MS: '5000',
      INGRESS_REQUEST_TIMEOUT_MS: '5000',
      INGRESS_SHUTDOWN_DELAY_MS: '2000',
    });
    assert.equal(env.PORT, 0);
    assert.equal(env.KAFKA_BROKERS, 'a:9092, b:9093');
    const config = ingressConfig(env);
    // Lowers a source's deadline, never raises one.
    assert.deepEqual(config.deadlineMs, {
      kommo: 1_000,
      amocrm: 1_000,
      'kommo-chat': 1_200,
      pipeliner: 1_000,
    });
    assert.deepEqual(config.spool, { dir: '/data/spool', maxBytes: 2_097_152, drainTimeoutMs: 0 });
    assert.equal(
      ingressConfig(environment({ ...BASE, INGRESS_SPOOL_ENABLED: 'false' })).spool,
      undefined,
    );
    assert.deepEqual(config.trustedProxies, ['10.0.0.0/8', '::1']);
    assert.equal(config.rawTopic, 'test.raw.x');
    assert.deepEqual(config.defaultRateLimit['kommo-chat'], { rps: 2.5, burst: 7 });
    assert.deepEqual(config.defaultRateLimit.kommo, { rps: 2.5, burst: 7 });
    assert.deepEqual(config.unauthenticatedLimits.perAddress, { rps: 0.5, burst: 3 });
    assert.deepEqual(config.unauthenticatedLimits.perConnection, { rps: 4, burst: 9 });
    assert.equal(config.lingerMs, 0);
    assert.equal(config.headersTimeoutMs, 5_000, 'headers = request timeout is allowed');
    assert.equal(config.shutdownDelayMs, 2_000);
  });

  it("accepts Nest's level words: verbose is pino's trace, log is info", () => {
    assert.equal(pinoLevel(environment({ ...BASE, LOG_LEVEL: 'verbose' }).LOG_LEVEL), 'trace');
    assert.equal(pinoLevel(environment({ ...BASE, LOG_LEVEL: 'log' }).LOG_LEVEL), 'info');
  });

  const bad: { name: string; env: NodeJS.ProcessEnv; expect: RegExp }[] = [
    { name: 'no connections file', env: {}, expect: /CONNECTIONS_FILE is required/ },
    { name: 'a bad port', env: { ...BASE, PORT: 'http' }, expect: /PORT must be a whole number/ },
    { name: 'a bad broker', env: { ...BASE, KAFKA_BROKERS: 'nohost' }, expect: /KAFKA_BROKERS/ },
    { name: 'an unknown log level', env: { ...BASE, LOG_LEVEL: 'loud' }, expect: /LOG_LEVEL/ },
    {
      name: 'a bad proxy entry',
      env: { ...BASE, INGRESS_TRUSTED_PROXIES: '10.0.0.1, example.com' },
      expect: /INGRESS_TRUSTED_PROXIES entries "example.com" are not/,
    },
    {
      name: 'a CIDR prefix wider than the family',
      env: { ...BASE, INGRESS_TRUSTED_PROXIES: '10.0.0.0/33' },
      expect: /"10.0.0.0\/33"/,
    },
    {
      name: 'a bad topic',
      env: { ...BASE, INGRESS_RAW_TOPIC: 'a b' },
      expect: /INGRESS_RAW_TOPIC/,
    },
    {
      name: 'a zero rate',
      env: { ...BASE, INGRESS_RATE_LIMIT_RPS: '0' },
      expect: /INGRESS_RATE_LIMIT_RPS must be greater than 0/,
    },
    {
      name: 'a rate that is not a number',
      env: { ...BASE, INGRESS_RATE_LIMIT_RPS: 'fast' },
      expect: /INGRESS_RATE_LIMIT_RPS must be a decimal number/,
    },
    {
      name: 'headers allowed longer than the whole request',
      env: { ...BASE, INGRESS_HEADERS_TIMEOUT_MS: '20000', INGRESS_REQUEST_TIMEOUT_MS: '10000' },
      expect: /INGRESS_HEADERS_TIMEOUT_MS must not exceed INGRESS_REQUEST_TIMEOUT_MS/,
    },
  ];
  for (const { name, env, expect } of bad) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => ingressConfigFromEnv(env),
        (error: unknown) => {
          assert.ok(error instanceof EnvironmentError);
          assert.match(error.message, expect);
          return true;
        },
      );
    });
  }

  it("INGRESS_BODY_LIMIT_BYTES, when set, is every source's limit", () => {
    const config = ingressConfig(environment({ ...BASE, INGRESS_BODY_LIMIT_BYTES: '65536' }));
    assert.deepEqual(new Set(Object.values(config.bodyLimitBytes)), new Set([65_536]));
    assert.equal(config.maxBodyBytes, 65_536);
  });

  /** Each ranged variable: the bounds pass, one step outside each fails. */
  const ranges: [name: string, min: number, max: number][] = [
    ['PORT', 0, 65_535],
    ['INGRESS_DEADLINE_MS', 50, 60_000],
    ['INGRESS_BODY_LIMIT_BYTES', 1, 64 * 1024 * 1024],
    ['INGRESS_RATE_LIMIT_BURST', 1, 1_000_000],
    ['INGRESS_LINGER_MS', 0, 1_000],
    ['INGRESS_MAX_BATCH_RECORDS', 1, 100_000],
    ['INGRESS_MAX_BATCH_BYTES', 1_024, 64 * 1024 * 1024],
    ['INGRESS_HEADERS_TIMEOUT_MS', 100, 600_000],
    ['INGRESS_REQUEST_TIMEOUT_MS', 100, 600_000],
    ['INGRESS_KEEP_ALIVE_TIMEOUT_MS', 100, 600_000],
    ['INGRESS_SHUTDOWN_DELAY_MS', 0, 120_000],
  ];
  for (const [name, min, max] of ranges) {
    it(`keeps ${name} within [${min}, ${max}]`, () => {
      // The other timeout is moved out of the way: only the range is tested here.
      const within = (value: number): NodeJS.ProcessEnv => ({
        ...BASE,
        ...(name === 'INGRESS_HEADERS_TIMEOUT_MS' && { INGRESS_REQUEST_TIMEOUT_MS: '600000' }),
        ...(name === 'INGRESS_REQUEST_TIMEOUT_MS' && { INGRESS_HEADERS_TIMEOUT_MS: '100' }),
        [name]: String(value),
      });
      for (const value of [min, max]) {
        assert.equal(Reflect.get(environment(within(value)), name), value);
      }
      assert.ok(problemsOf(within(min - 1)).includes(name), `${min - 1}`);
      assert.ok(problemsOf(within(max + 1)).includes(name), `${max + 1}`);
      assert.ok(problemsOf(within(min + 0.5)).includes(name), 'fractions refused');
    });
  }

  it('keeps INGRESS_RATE_LIMIT_RPS within (0, 1000000]', () => {
    const rps = (value: string) => ({ ...BASE, INGRESS_RATE_LIMIT_RPS: value });
    assert.equal(environment(rps('0.001')).INGRESS_RATE_LIMIT_RPS, 0.001);
    assert.equal(environment(rps('1000000')).INGRESS_RATE_LIMIT_RPS, 1_000_000);
    for (const value of ['0', '-1', '1000000.5', 'Infinity', '1e3', '0x10']) {
      const problems = problemsOf(rps(value));
      assert.ok(problems.length > 0, value);
      assert.ok(
        problems.every((problem) => problem === 'INGRESS_RATE_LIMIT_RPS'),
        value,
      );
    }
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({
      PORT: '70000',
      LOG_LEVEL: 'loud',
      INGRESS_DEADLINE_MS: '10',
      INGRESS_RAW_TOPIC: 'no spaces',
      INGRESS_RATE_LIMIT_RPS: '0',
      INGRESS_TRUSTED_PROXIES: 'proxy.local',
      INGRESS_HEADERS_TIMEOUT_MS: '40000',
    });
    assert.deepEqual(
      [...new Set(problems)],
      [
        'CONNECTIONS_FILE',
        'INGRESS_DEADLINE_MS',
        'INGRESS_HEADERS_TIMEOUT_MS',
        'INGRESS_RATE_LIMIT_RPS',
        'INGRESS_RAW_TOPIC',
        'INGRESS_TRUSTED_PROXIES',
        'LOG_LEVEL',
        'PORT',
      ],
    );
  });
});
