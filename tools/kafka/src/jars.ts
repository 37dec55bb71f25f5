import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireMaven } from './prerequisites.js';
import { TOOL_DIR } from './broker-config.js';

const POM = join(TOOL_DIR, 'pom.xml');

/** The broker release named in tools/kafka/pom.xml. */
export function kafkaVersion(): string {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(POM, 'utf8'));
  if (!match?.[1]) throw new Error(`${POM} does not define <kafka.version>`);
  return match[1];
}

/** Copies the broker and its runtime dependencies from Maven Central once; later runs reuse the cache. */
export function ensureJars(jarDir: string): void {
  const marker = join(jarDir, '.complete');
  if (existsSync(marker)) return;
  requireMaven();
  process.stdout.write(`kafka: resolving broker jars with Maven into ${jarDir}\n`);
  const result = spawnSync(
    'mvn',
    ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${jarDir}`],
    { stdio: 'inherit' },
  );
  if (result.status !== 0)
    throw new Error(`mvn dependency:copy-dependencies failed (exit ${result.status ?? 'signal'})`);
  writeFileSync(marker, new Date().toISOString());
}
