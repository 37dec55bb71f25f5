import { randomBytes, randomUUID } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import type { ResolvedConnection } from '@crm/connections';
import type { Source } from '@crm/contracts';

/** Far above the offered load: the run measures faults, not rate limits. */
const RATE_LIMIT = { rps: 20_000, burst: 40_000 };
const ACCOUNT = { id: '9884604', subdomain: 'chaos' };

function newSecret(source: Source): string {
  // Pipeliner's signing secret is a UUID; the others are opaque strings.
  return source === 'pipeliner' ? randomUUID() : randomBytes(18).toString('base64url');
}

/**
 * The run's connections file, one connection per source, and the secrets the
 * simulated CRMs sign with. `rotate()` does what an operator does: the new
 * secret goes in first, the old one stays beside it, the file is replaced
 * atomically (the services reload it), and only then do the CRMs switch.
 */
export class ChaosConnections {
  private readonly secrets = new Map<Source, string[]>();

  constructor(
    private readonly path: string,
    private readonly sources: readonly Source[],
  ) {
    for (const source of sources) this.secrets.set(source, [newSecret(source)]);
    this.write();
  }

  /** What the senders use now: each connection with the secret its CRM signs with first. */
  current(): ReadonlyMap<Source, ResolvedConnection> {
    return new Map(
      this.sources.map((source) => [
        source,
        {
          id: `chaos-${source}`,
          source,
          account: ACCOUNT,
          secrets: [...(this.secrets.get(source) ?? [])],
          rateLimit: RATE_LIMIT,
        },
      ]),
    );
  }

  /** Adds a new first secret to every connection and rewrites the file; returns the senders' switch. */
  rotate(): () => void {
    const next = new Map(this.sources.map((source) => [source, newSecret(source)]));
    const configured = new Map(
      this.sources.map((source) => [
        source,
        [next.get(source) ?? '', ...(this.secrets.get(source) ?? [])],
      ]),
    );
    this.write(configured);
    return () => {
      for (const [source, secrets] of configured) this.secrets.set(source, secrets);
    };
  }

  private write(secrets: ReadonlyMap<Source, string[]> = this.secrets): void {
    const lines = ['connections:'];
    for (const source of this.sources) {
      lines.push(`  - id: chaos-${source}`, `    source: ${source}`);
      if (source === 'kommo' || source === 'amocrm')
        lines.push(`    account: { id: ${ACCOUNT.id}, subdomain: ${ACCOUNT.subdomain} }`);
      lines.push(
        `    secrets: [${(secrets.get(source) ?? []).map((s) => JSON.stringify(s)).join(', ')}]`,
        `    rateLimit: { rps: ${RATE_LIMIT.rps}, burst: ${RATE_LIMIT.burst} }`,
      );
    }
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, `${lines.join('\n')}\n`);
    renameSync(temporary, this.path);
  }
}
