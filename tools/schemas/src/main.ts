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

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
