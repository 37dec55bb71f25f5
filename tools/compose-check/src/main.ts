import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateCompose } from './validate-compose.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const FILE = join(ROOT, 'docker-compose.yml');

/** `docker compose config` needs no engine, only the compose plugin; without it, validate against the schema. */
function main(): number {
  const plugin = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  if (plugin.status === 0) {
    const result = spawnSync('docker', ['compose', '-f', FILE, 'config', '--quiet'], {
      encoding: 'utf8',
    });
    process.stdout.write(
      `compose: docker compose config ${result.status === 0 ? 'ok' : 'failed'}\n${result.stderr}`,
    );
    if (result.status !== 0) return 1;
  }
  const { problems } = validateCompose(readFileSync(FILE, 'utf8'));
  for (const problem of problems) process.stderr.write(`compose: ${problem}\n`);
  process.stdout.write(
    `compose: ${FILE} ${problems.length === 0 ? 'valid against the Compose Specification schema' : 'INVALID'}\n`,
  );
  return problems.length === 0 ? 0 : 1;
}

const USAGE = `usage: npm run compose:check\n  Validates docker-compose.yml (docker compose config when the plugin is there, else the Compose Specification schema).`;
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (args.length > 0) {
  process.stderr.write(`unexpected argument "${args[0] ?? ''}"\n${USAGE}\n`);
  process.exit(2);
}

process.exit(main());
