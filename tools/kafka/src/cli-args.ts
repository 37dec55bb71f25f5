import { NODE_COUNTS, type NodeCount } from './cluster-config.js';

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'up' | 'down'; readonly nodes: NodeCount; readonly nodesGiven: boolean };

/** A command line the tool does not understand: print the usage to stderr, exit 2. */
export class UsageError extends Error {}

function nodeCount(raw: string, source: string): NodeCount {
  const count = NODE_COUNTS.find((allowed) => String(allowed) === raw.trim());
  if (count === undefined)
    throw new UsageError(`${source} "${raw}": expected one of ${NODE_COUNTS.join(', ')}`);
  return count;
}

/**
 * `up|down [--nodes N | --nodes=N]`, N also from KAFKA_NODES (the flag wins).
 * `nodesGiven` tells `down` whether the count was asked for or is the default.
 */
export function parseArgs(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Command {
  if (args.includes('--help') || args.includes('-h')) return { kind: 'help' };
  const [command, ...rest] = args;
  if (command !== 'up' && command !== 'down')
    throw new UsageError(`unexpected arguments ${JSON.stringify(args)}`);
  let flag: string | undefined;
  for (let index = 0; index < rest.length; index += 1) {
    const arg = rest[index] ?? '';
    if (flag === undefined && arg === '--nodes' && index + 1 < rest.length) {
      flag = rest[index + 1];
      index += 1;
    } else if (flag === undefined && arg.startsWith('--nodes=')) {
      flag = arg.slice('--nodes='.length);
    } else {
      throw new UsageError(`unexpected arguments ${JSON.stringify(args)}`);
    }
  }
  const fromEnv = env['KAFKA_NODES'];
  if (flag !== undefined)
    return { kind: command, nodes: nodeCount(flag, '--nodes'), nodesGiven: true };
  if (fromEnv !== undefined && fromEnv !== '')
    return { kind: command, nodes: nodeCount(fromEnv, 'KAFKA_NODES'), nodesGiven: true };
  return { kind: command, nodes: 1, nodesGiven: false };
}
