import { runConnections } from './connections-cli.js';
import { processIo } from './io.js';

// Output piped into `head` and closed early: stop quietly, as other CLIs do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

/** `npm run connections -- add|rotate|retire|remove|list|register ...`: the connections file and CRM setup. */
runConnections(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `connections: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
