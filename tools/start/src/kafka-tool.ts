import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

const TSX = [
  join(ROOT, 'node_modules/.bin/tsx'),
  '--tsconfig',
  'tsconfig.base.json',
  '--conditions=@crm/source',
];

/** `tools/kafka up|down` (the local broker: KAFKA_PORT, KAFKA_CONTROLLER_PORT, KAFKA_DATA_DIR). */
export function kafkaToolCommand(action: 'up' | 'down'): string[] {
  return [...TSX, 'tools/kafka/src/main.ts', action];
}

/** The environment for a broker this command starts or stops itself: KAFKA_BROKERS unset. */
export function localBrokerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const local = { ...env };
  delete local['KAFKA_BROKERS'];
  return local;
}

/** Whether something already accepts connections on 127.0.0.1:`port`. */
export function portOpen(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    const finish = (open: boolean): void => {
      socket.destroy();
      done(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}
