import { spawnSync } from 'node:child_process';

const INSTALL_HINT =
  'Install Java 17+ and Maven (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless maven; ' +
  'macOS: brew install openjdk@17 maven), or set KAFKA_BROKERS to an existing cluster, ' +
  'or run Kafka with Docker: docker compose up -d kafka kafka-init.';

export class MissingPrerequisiteError extends Error {}

/** Java prints `openjdk version "17.0.15"` (or `"1.8.0_392"` for Java 8) on stderr. */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match?.[1]) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

export function requireJava17(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new MissingPrerequisiteError(`java was not found on PATH. ${INSTALL_HINT}`);
  }
  const major = parseJavaMajor(`${result.stderr}${result.stdout}`);
  if (major === undefined || major < 17) {
    throw new MissingPrerequisiteError(
      `Java ${major ?? '?'} found; the broker needs Java 17+. ${INSTALL_HINT}`,
    );
  }
}

export function requireMaven(): void {
  const result = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new MissingPrerequisiteError(
      `mvn was not found on PATH (needed once to fetch the broker jars). ${INSTALL_HINT}`,
    );
  }
}
