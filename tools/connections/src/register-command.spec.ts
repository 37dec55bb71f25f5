import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startPipelinerDouble, type PipelinerDouble } from './test-support/pipeliner-api-double.js';
import { runCli, tempDir } from './test-support/run-cli.js';

const SIGNATURE = '5b1f7a3e-9c2d-4e8f-a6b0-1d2c3e4f5a6b';
const ENV_SIGNATURE = 'a0b1c2d3-e4f5-4a6b-8c9d-0e1f2a3b4c5d';
const CREDENTIAL = 'api-key-123:api-secret-456';
const FILE = `connections:
  - id: acme-pl
    source: pipeliner
    secrets: ['${SIGNATURE}']
  - id: acme-pl-env
    source: pipeliner
    secrets: ['env:PL_SIGNATURE']
  - id: acme-kommo
    source: kommo
    secrets: ['t']
`;

describe('connections register (against a Pipeliner API double)', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let api: PipelinerDouble;
  const env = (): NodeJS.ProcessEnv => ({
    CONNECTIONS_FILE: tmp.file,
    PL_TOKEN: CREDENTIAL,
    PL_SIGNATURE: ENV_SIGNATURE,
    PUBLIC_URL: 'https://hooks.example.com',
  });
  const base = (id = 'acme-pl'): string[] => [
    'register',
    id,
    '--api-url',
    api.url,
    '--space-id',
    'space-1',
    '--api-token',
    'env:PL_TOKEN',
  ];

  before(async () => {
    tmp = await tempDir();
    await tmp.write(FILE);
    api = await startPipelinerDouble('space-1', CREDENTIAL);
  });
  beforeEach(() => {
    api.requests.length = 0;
    api.mode = 'create';
  });
  after(async () => {
    await api.close();
    await tmp.remove();
  });

  it('creates the webhook with the documented request and prints its id', async () => {
    const run = await runCli(
      [
        ...base(),
        ...[
          '--events',
          'Account.Create,Opportunity.*',
          '--chunk-size',
          '50',
          '--chunk-delay',
          '5',
          '--skip-keys',
          'my-sync,other',
        ],
        ...[
          '--expand',
          'Opportunity:product_relations',
          '--load-only',
          'Opportunity:id,value',
          '--filter',
          'Opportunity:status=open',
        ],
        ...[
          '--filter-op',
          'Opportunity:status=eq',
          '--on-field-change',
          'Opportunity:value,closing_date',
          '--filter',
          'Account:owner_id=u1,u2',
        ],
      ],
      env(),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(api.requests.length, 1);
    const [request] = api.requests;
    assert.equal(request?.method, 'POST');
    assert.equal(request?.path, '/api/v100/rest/spaces/space-1/webhooks');
    assert.equal(
      request?.headers.authorization,
      `Basic ${Buffer.from(CREDENTIAL).toString('base64')}`,
    );
    assert.deepEqual(JSON.parse(request?.body ?? ''), {
      url: 'https://hooks.example.com/webhooks/pipeliner/acme-pl',
      events: ['Account.Create', 'Opportunity.*'],
      signature: SIGNATURE,
      insecure_ssl: false,
      options: {
        entity: {
          Opportunity: {
            expand: ['product_relations'],
            'load-only': ['id', 'value'],
            'on-field-change': ['value', 'closing_date'],
            filter: { status: 'open' },
            'filter-op': { status: 'eq' },
          },
          Account: { filter: { owner_id: ['u1', 'u2'] } },
        },
        skip_keys: ['my-sync', 'other'],
        chunk_size: 50,
        chunk_delay: 5,
      },
    });
    assert.match(run.stdout, /^created Pipeliner webhook [0-9a-f-]{36} for "acme-pl"/);
    for (const secret of [SIGNATURE, CREDENTIAL, 'api-secret-456'])
      assert.ok(!`${run.stdout}${run.stderr}`.includes(secret), 'no secret printed');
  });

  it('resolves an env: signature now, and defaults the events', async () => {
    const run = await runCli([...base('acme-pl-env'), '--insecure-ssl'], env());
    assert.equal(run.code, 0, run.stderr);
    const body = JSON.parse(api.requests[0]?.body ?? '{}') as Record<string, unknown>;
    assert.equal(body['signature'], ENV_SIGNATURE);
    assert.equal(body['insecure_ssl'], true);
    assert.deepEqual(body['events'], ['Account.*', 'Contact.*', 'Lead.*', 'Opportunity.*']);
    assert.equal(body['options'], undefined);
  });

  it('--dry-run prints the request, masked, and sends nothing', async () => {
    const run = await runCli([...base(), '--dry-run'], env());
    assert.equal(run.code, 0, run.stderr);
    assert.equal(api.requests.length, 0, 'nothing sent');
    assert.ok(run.stdout.includes(`POST ${api.url}/api/v100/rest/spaces/space-1/webhooks`));
    assert.ok(run.stdout.includes('Authorization: Basic ***'));
    assert.ok(run.stdout.includes('"signature": "<hidden: run with --show-secret>"'));
    assert.ok(
      !run.stdout.includes(SIGNATURE) &&
        !run.stdout.includes(Buffer.from(CREDENTIAL).toString('base64')),
    );
    const shown = await runCli([...base(), '--dry-run', '--show-secret'], env());
    assert.ok(shown.stdout.includes(`"signature": "${SIGNATURE}"`));
    assert.ok(shown.stdout.includes('Authorization: Basic ***'), 'the API credential stays masked');
    assert.equal(api.requests.length, 0);
  });

  it('reports what the API refuses: wrong credential, wrong path (exit 1, the API message)', async () => {
    const wrongAuth = await runCli(base(), { ...env(), PL_TOKEN: 'api-key-123:wrong' });
    assert.equal(wrongAuth.code, 1);
    assert.match(wrongAuth.stderr, /HTTP 401: Unauthorized 401: invalid credentials/);
    const bearer = await runCli([...base(), '--auth', 'bearer'], env());
    assert.equal(bearer.code, 1);
    assert.match(bearer.stderr, /HTTP 401/);
    const wrongPath = await runCli(
      [...base(), '--path-template', '/api/v100/rest/space/{spaceId}/webhook'],
      env(),
    );
    assert.equal(wrongPath.code, 1);
    assert.match(
      wrongPath.stderr,
      /HTTP 404: NotFound 404: no route \/api\/v100\/rest\/space\/space-1\/webhook/,
    );
    assert.equal(api.requests.length, 3, 'each refused request reached the double');
  });

  it('reports success: false with the API message (exit 1)', async () => {
    api.mode = 'refuse';
    const run = await runCli(base(), env());
    assert.equal(run.code, 1);
    assert.match(run.stderr, /success: false: WebhookError 400: webhook limit reached/);
  });

  it('refuses bad input before sending anything (exit 2)', async () => {
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [
        ['register', 'acme-pl', '--api-url', api.url, '--space-id', 's', '--api-token', CREDENTIAL],
        env(),
        /only from the environment/,
      ],
      [base(), { ...env(), PL_TOKEN: '' }, /PL_TOKEN is not set/],
      [base(), { ...env(), PL_TOKEN: 'no-colon' }, /username:password/],
      [base('acme-kommo'), env(), /register is for pipeliner/],
      [
        base('acme-pl-env'),
        { ...env(), PL_SIGNATURE: undefined },
        /env:PL_SIGNATURE, which is not set/,
      ],
      [base('acme-pl-env'), { ...env(), PL_SIGNATURE: 'not-a-uuid' }, /UUID/],
      [[...base(), '--chunk-size', '500'], env(), /--chunk-size must be an integer from 1 to 100/],
      [[...base(), '--events', 'Account.Explode'], env(), /Pipeliner events/],
      [[...base(), '--expand', 'Task:x'], env(), /entity of --events/],
      [[...base(), '--filter-op', 'Account:x=like'], env(), /--filter-op operator/],
      [
        ['register', 'acme-pl', '--api-url', api.url, '--api-token', 'env:PL_TOKEN'],
        env(),
        /--space-id/,
      ],
    ];
    for (const [argv, caseEnv, message] of cases) {
      const run = await runCli(argv, caseEnv);
      assert.equal(run.code, 2, `${argv.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
    assert.equal(api.requests.length, 0);
  });
});

describe('the Pipeliner API double', () => {
  it('refuses malformed bodies, so a passing register proves a well-formed request', async () => {
    const api = await startPipelinerDouble('s', 'u:p');
    try {
      const send = async (
        body: unknown,
      ): Promise<{ status: number; json: { success: boolean; message: string } }> => {
        const response = await fetch(`${api.url}/api/v100/rest/spaces/s/webhooks`, {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from('u:p').toString('base64')}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify(body),
        });
        return {
          status: response.status,
          json: (await response.json()) as { success: boolean; message: string },
        };
      };
      const good = { url: 'https://x.example/h', events: ['Account.Create'], signature: SIGNATURE };
      assert.equal((await send(good)).status, 200);
      const bad: [unknown, RegExp][] = [
        [{ ...good, events: [] }, /events/],
        [{ ...good, signature: 'nope' }, /UUID/],
        [{ ...good, options: { chunk_size: 500 } }, /chunk_size/],
        [{ ...good, options: { entity: { Account: { load_only: ['id'] } } } }, /load_only/],
        [{ ...good, extra: 1 }, /unknown field/],
      ];
      for (const [body, message] of bad) {
        const { status, json } = await send(body);
        assert.equal(status, 400);
        assert.equal(json.success, false);
        assert.match(json.message, message);
      }
    } finally {
      await api.close();
    }
  });
});
