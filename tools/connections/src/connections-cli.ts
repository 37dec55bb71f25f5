import { describeFailure, EXIT_INVALID } from './cli-errors.js';
import { parseConnectionsArgs, type ConnectionsCommand } from './connections-args.js';
import type { Io } from './io.js';
import { runList } from './list-command.js';
import { runAdd, runRemove, runRetire, runRotate } from './manage-commands.js';
import { runRegister } from './register-command.js';
import { COMMAND_USAGE } from './usage.js';

/** Runs one command line; returns the exit status (0 done, 2 invalid input, 1 failure). */
export async function runConnections(argv: readonly string[], io: Io): Promise<number> {
  let command: ConnectionsCommand;
  try {
    command = parseConnectionsArgs(argv);
  } catch (error) {
    const command = argv[0] ?? '';
    const help = COMMAND_USAGE[command] === undefined ? '--help' : `${command} --help`;
    io.err(`connections: ${error instanceof Error ? error.message : String(error)}`);
    io.err(`(usage: npm run connections -- ${help})`);
    return EXIT_INVALID;
  }
  try {
    switch (command.kind) {
      case 'help':
        io.out(command.text);
        return 0;
      case 'add':
        return await runAdd(command, io);
      case 'rotate':
        return await runRotate(command, io);
      case 'retire':
        return await runRetire(command, io);
      case 'remove':
        return await runRemove(command, io);
      case 'list':
        return await runList(command, io);
      case 'register':
        return await runRegister(command, io);
    }
  } catch (error) {
    const { exitCode, message } = describeFailure(error);
    io.err(`connections: ${message}`);
    return exitCode;
  }
}
