import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { asyncApiDocument } from './asyncapi-document.js';
import { eventSchemas } from './event-schemas.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
export const OUT_DIR = join(ROOT, 'libs/contracts/schemas');

async function json(path: string, value: unknown): Promise<string> {
  const filepath = join(OUT_DIR, path);
  const options = { ...(await resolveConfig(filepath)), filepath };
  return format(JSON.stringify(value, null, 2), options);
}

/** Every generated file (formatted as the repo's prettier check expects): path relative to OUT_DIR -> content. */
export async function generatedFiles(): Promise<Map<string, string>> {
  const version = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
  ).version;
  const files = new Map<string, string>();
  for (const [type, schema] of eventSchemas())
    files.set(`events/${type}.json`, await json(`events/${type}.json`, schema));
  files.set('asyncapi.json', await json('asyncapi.json', asyncApiDocument(version)));
  return files;
}

async function main(): Promise<void> {
  rmSync(join(OUT_DIR, 'events'), { recursive: true, force: true });
  mkdirSync(join(OUT_DIR, 'events'), { recursive: true });
  const files = await generatedFiles();
  for (const [path, content] of files) writeFileSync(join(OUT_DIR, path), content);
  process.stdout.write(`schemas: wrote ${files.size} files to ${OUT_DIR}\n`);
}

const USAGE = `usage: npm run schemas
  Writes the JSON Schemas of the events and the AsyncAPI document to libs/contracts/schemas.`;

/** `--help` prints the usage (0); any other argument is a mistake (2). */
function argumentsExitCode(args: readonly string[]): number | undefined {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.length === 0) return undefined;
  process.stderr.write(`unexpected argument "${args[0] ?? ''}"\n${USAGE}\n`);
  return 2;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const code = argumentsExitCode(process.argv.slice(2));
  if (code === undefined) await main();
  else process.exitCode = code;
}
