import { join } from 'node:path';
import { launcherAncestors, watchAncestors } from './ancestry.js';
import { ROOT } from './kafka-tool.js';
import { LocalStack, log } from './local-stack.js';
import { WatchdogLink } from './watchdog-link.js';

const STOP_GRACE_MS = 20_000;
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * `npm start [-- --no-build]`: the build, the broker (unless KAFKA_BROKERS is
 * set), then every app, with prefixed logs. If any app exits, everything stops.
 *
 * Everything it started stops (apps first, each SIGTERM then SIGKILL after the
 * grace period, the broker last) on any of:
 * - SIGINT, SIGTERM, SIGHUP to this process. The npm script `exec`s node, so
 *   the signals npm forwards (SIGINT, SIGTERM) reach us: through `sh -c` they
 *   would not (dash defers SIGINT, dies of SIGTERM), and a tsx CLI SIGKILLs a
 *   child that does not confirm a relayed signal within 30 ms.
 * - npm, or whoever started npm, going away (npm dies of SIGHUP without
 *   forwarding it; a SIGKILLed terminal or manager tells nobody): polled.
 * - this process dying without cleaning up (SIGKILL): its watchdog does it.
 * Exit code 0 after a clean stop, 1 if start-up failed, an app exited on its
 * own, an app had to be killed or the broker did not stop.
 */
function main(): void {
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CONNECTIONS_FILE:
      process.env['CONNECTIONS_FILE'] ?? join(ROOT, 'tools/start/connections.example.yaml'),
  };
  const watchdog = WatchdogLink.start(STOP_GRACE_MS, env);
  const stack = new LocalStack(
    { env, build: !process.argv.includes('--no-build'), graceMs: STOP_GRACE_MS },
    watchdog,
  );
  for (const signal of STOP_SIGNALS)
    process.on(signal, () => void stack.stop(`${signal} received`, 0));
  watchAncestors(launcherAncestors(), (gone) => {
    void stack.stop(`${gone.command} (pid ${gone.pid}) is gone`, 0);
  });
  void stack.stopped.then((code) => process.exit(code));
  stack.start().catch((error: unknown) => {
    void stack.stop(
      `start-up failed: ${error instanceof Error ? error.message : String(error)}`,
      1,
    );
  });
}

const USAGE = `usage: npm start [-- --no-build]
  Builds, starts a broker on KAFKA_PORT unless KAFKA_BROKERS is set, then every app; Ctrl-C stops all.
  --no-build   skip the build (use what is in dist)
  env: KAFKA_BROKERS, KAFKA_PORT, CONNECTIONS_FILE, PORT, START_OPS_PORT`;

/** Before anything starts: `--help` prints the usage (0), an unknown argument is a mistake (2). */
function argumentsExitCode(args: readonly string[]): number | undefined {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = args.find((arg) => arg !== '--no-build');
  if (unknown === undefined) return undefined;
  process.stderr.write(`unexpected argument "${unknown}"\n${USAGE}\n`);
  return 2;
}

const argumentsCode = argumentsExitCode(process.argv.slice(2));
if (argumentsCode !== undefined) process.exit(argumentsCode);

try {
  main();
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
