import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brokerPaths, newClusterId, serverProperties } from './broker-config.js';
import { parseJavaMajor } from './prerequisites.js';

function withEnv<T>(env: Record<string, string | undefined>, work: () => T): T {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete process.env[key];
  try {
    return work();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

describe('local broker configuration', () => {
  it('defaults to 9092 with the controller on the next port and data under .kafka/<port>', () => {
    const paths = withEnv(
      { KAFKA_PORT: undefined, KAFKA_CONTROLLER_PORT: undefined, KAFKA_DATA_DIR: undefined },
      () => brokerPaths('4.3.1'),
    );
    assert.equal(paths.port, 9092);
    assert.equal(paths.controllerPort, 9093);
    assert.match(paths.dataDir, /\.kafka\/9092$/);
    assert.match(paths.jarDir, /tools\/kafka\/\.cache\/kafka-4\.3\.1$/);
  });

  it('takes ports and data dir from the environment and rejects a bad port', () => {
    const paths = withEnv(
      { KAFKA_PORT: '19092', KAFKA_CONTROLLER_PORT: '19999', KAFKA_DATA_DIR: '/tmp/k' },
      () => brokerPaths('4.3.1'),
    );
    assert.deepEqual([paths.port, paths.controllerPort, paths.dataDir], [19092, 19999, '/tmp/k']);
    assert.throws(
      () => withEnv({ KAFKA_PORT: '70000' }, () => brokerPaths('4.3.1')),
      /KAFKA_PORT="70000" is not a TCP port/,
    );
  });

  it('writes a single-node KRaft config bound to loopback, without auto-created topics', () => {
    const properties = serverProperties(
      withEnv(
        { KAFKA_PORT: '29092', KAFKA_CONTROLLER_PORT: undefined, KAFKA_DATA_DIR: '/tmp/k' },
        () => brokerPaths('4.3.1'),
      ),
    );
    for (const line of [
      'process.roles=broker,controller',
      'listeners=PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093',
      'advertised.listeners=PLAINTEXT://127.0.0.1:29092',
      'controller.quorum.bootstrap.servers=127.0.0.1:29093',
      'log.dirs=/tmp/k/logs',
      'offsets.topic.replication.factor=1',
      'group.initial.rebalance.delay.ms=0',
      'auto.create.topics.enable=false',
    ]) {
      assert.ok(properties.split('\n').includes(line), `missing ${line}`);
    }
  });

  it('makes 22-character base64url cluster ids', () => {
    const id = newClusterId();
    assert.match(id, /^[A-Za-z0-9_-]{22}$/);
    assert.notEqual(id, newClusterId());
  });

  it('never starts a cluster id with "-", which kafka-storage would read as an option', () => {
    // 0xf8 encodes to '-' as the first base64url character; the second draw does not.
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x10)];
    const id = newClusterId(() => draws.shift() ?? Buffer.alloc(16));
    assert.equal(draws.length, 0, 'drew again after an id starting with "-"');
    assert.match(id, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });
});

describe('parseJavaMajor', () => {
  const cases: [string, number | undefined][] = [
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_392"', 8],
    ['command not found', undefined],
  ];
  for (const [output, expected] of cases) {
    it(`reads ${expected ?? 'nothing'} from ${output}`, () =>
      assert.equal(parseJavaMajor(output), expected));
  }
});
