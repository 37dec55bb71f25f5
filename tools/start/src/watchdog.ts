import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ROOT, kafkaToolCommand, localBrokerEnv } from './kafka-tool.js';
import { groupRunning, readProcess } from './proc.js';
import { exited, stopGroup } from './stop-group.js';

/**
 * The watchdog of one `npm start`, its own process in its own session. The
 * start process tells it on stdin what it started (`track <pid> <start time>`
 * per process group, `broker` if it owns the local broker) and `done` once it
 * has stopped all that itself. If stdin ends without `done`, the start
 * process died without cleaning up (SIGKILL, a crash): the watchdog stops
 * every tracked group (SIGTERM, grace, SIGKILL), then the broker, and exits.
 */
interface Tracked {
  readonly pid: number;
  readonly startTime: string | undefined;
}

const graceMs = Number(process.argv[2] ?? 20_000);
const tracked: Tracked[] = [];
let ownsBroker = false;
let done = false;

for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
const log = (line: string): void => void process.stdout.write(`start (watchdog): ${line}\n`);

/** Still the group we started: its leader is gone or is the same process (not a reused pid). */
function stillOurs({ pid, startTime }: Tracked): boolean {
  const leader = readProcess(pid);
  if (leader && leader.state !== 'Z' && startTime && leader.startTime !== startTime) return false;
  return groupRunning(pid);
}

async function cleanUp(): Promise<void> {
  const left = tracked.filter(stillOurs);
  if (left.length === 0 && !ownsBroker) return;
  log(
    `the start process is gone; stopping ${left.length} process group(s)${ownsBroker ? ' and the broker' : ''}`,
  );
  await Promise.all(left.map((group) => stopGroup(group, graceMs)));
  if (!ownsBroker) return;
  const [file = 'tsx', ...args] = kafkaToolCommand('down');
  const down = spawn(file, args, {
    cwd: ROOT,
    env: localBrokerEnv(process.env),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await exited(down);
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  const [command, pid, startTime] = line.trim().split(' ');
  if (command === 'track' && pid)
    tracked.push({ pid: Number(pid), startTime: startTime === '-' ? undefined : startTime });
  else if (command === 'broker') ownsBroker = true;
  else if (command === 'done') done = true;
});
lines.on('close', () => {
  if (done) process.exit(0);
  cleanUp().then(
    () => process.exit(0),
    (error: unknown) => {
      log(`clean-up failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
});
