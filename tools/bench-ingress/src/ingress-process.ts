import { join } from 'node:path';
import { INGRESS_ENTRY } from './bench-settings.js';
import { startServer, type ServerProcess } from './server-process.js';

export interface IngressOptions {
  readonly brokers: string;
  readonly connectionsFile: string;
  readonly topic: string;
  /** Its INGRESS_SPOOL_DIR, or `off`: INGRESS_SPOOL_ENABLED=false. */
  readonly spool: { readonly dir: string } | 'off';
  /** More environment, e.g. a drain timeout or a log level. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where its log goes (`<name>.log`), shown when it fails. */
  readonly logDir: string;
}

/** The app under test: built ingress as its own process, ready once /readyz answers 200. */
export function startIngress(name: string, options: IngressOptions): Promise<ServerProcess> {
  const spool =
    options.spool === 'off'
      ? { INGRESS_SPOOL_ENABLED: 'false' }
      : { INGRESS_SPOOL_ENABLED: 'true', INGRESS_SPOOL_DIR: options.spool.dir };
  return startServer(
    name,
    INGRESS_ENTRY,
    {
      KAFKA_BROKERS: options.brokers,
      CONNECTIONS_FILE: options.connectionsFile,
      INGRESS_RAW_TOPIC: options.topic,
      LOG_LEVEL: 'warn',
      ...spool,
      ...options.env,
    },
    async (url) => (await fetch(`${url}/readyz`)).status === 200,
    join(options.logDir, `${name.replace(/\W+/g, '-')}.log`),
  );
}
