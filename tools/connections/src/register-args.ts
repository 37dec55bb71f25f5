import type { ParseArgsConfig } from 'node:util';
import { InputError } from './cli-errors.js';
import { DEFAULT_EVENTS, FILTER_OPERATORS, eventEntity } from './pipeliner-events.js';
import { ENV_PREFIX } from './secrets.js';
import { checkHttpUrl, integerOption, text, texts, type Values } from './values.js';

/** Options of one entity under `options.entity` (seed 004 spells the keys this way). */
export interface EntityOptions {
  expand?: string[];
  'load-only'?: string[];
  filter?: Record<string, string | string[]>;
  'filter-op'?: Record<string, string>;
  'on-field-change'?: string[];
}

export interface RegisterOptions {
  readonly apiUrl: string;
  readonly spaceId: string | undefined;
  /** The variable holding the API credential (never the credential itself). */
  readonly apiTokenEnv: string;
  readonly auth: 'basic' | 'bearer';
  readonly pathTemplate: string;
  readonly events: readonly string[];
  readonly chunkSize: number | undefined;
  readonly chunkDelay: number | undefined;
  readonly skipKeys: readonly string[];
  readonly insecureSsl: boolean;
  readonly entity: Readonly<Record<string, EntityOptions>>;
  readonly dryRun: boolean;
}

export const DEFAULT_PATH_TEMPLATE = '/api/v100/rest/spaces/{spaceId}/webhooks';

export const REGISTER_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  'api-url': { type: 'string' },
  'space-id': { type: 'string' },
  'api-token': { type: 'string' },
  auth: { type: 'string' },
  'path-template': { type: 'string' },
  events: { type: 'string' },
  'chunk-size': { type: 'string' },
  'chunk-delay': { type: 'string' },
  'skip-keys': { type: 'string' },
  'insecure-ssl': { type: 'boolean' },
  expand: { type: 'string', multiple: true },
  'load-only': { type: 'string', multiple: true },
  filter: { type: 'string', multiple: true },
  'filter-op': { type: 'string', multiple: true },
  'on-field-change': { type: 'string', multiple: true },
  'dry-run': { type: 'boolean' },
};

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SPACE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const FIELD = /^[A-Za-z_][A-Za-z0-9_.]*$/;

function list(value: string | undefined): string[] | undefined {
  return value
    ?.split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function parseRegisterOptions(values: Values): RegisterOptions {
  const apiUrl = text(values, 'api-url');
  if (apiUrl === undefined) throw new InputError('missing_api_url', 'register needs --api-url URL');
  const token = text(values, 'api-token');
  if (token === undefined || !token.startsWith(ENV_PREFIX) || !ENV_NAME.test(token.slice(4)))
    throw new InputError(
      'bad_api_token',
      '--api-token is read only from the environment: pass --api-token env:NAME',
    );
  const auth = text(values, 'auth') ?? 'basic';
  if (auth !== 'basic' && auth !== 'bearer')
    throw new InputError('bad_auth', `--auth must be basic or bearer, got "${auth}"`);
  const pathTemplate = text(values, 'path-template') ?? DEFAULT_PATH_TEMPLATE;
  if (!pathTemplate.startsWith('/') || /[?#\s]/.test(pathTemplate.replace('{spaceId}', '')))
    throw new InputError('bad_path', '--path-template must be a path starting with / (no query)');
  const spaceId = text(values, 'space-id');
  if (spaceId !== undefined && !SPACE_ID.test(spaceId))
    throw new InputError(
      'bad_space',
      `--space-id must match [A-Za-z0-9_-]{1,64}, got "${spaceId}"`,
    );
  if (pathTemplate.includes('{spaceId}') && spaceId === undefined)
    throw new InputError(
      'missing_space',
      `register needs --space-id (the path is ${pathTemplate})`,
    );
  const events = list(text(values, 'events')) ?? DEFAULT_EVENTS;
  const unknown = events.filter((event) => eventEntity(event) === undefined);
  if (events.length === 0 || unknown.length > 0)
    throw new InputError(
      'bad_events',
      `--events takes Pipeliner events like Account.Create or Lead.*, got "${unknown.join(',')}"`,
    );
  return {
    apiUrl: checkHttpUrl('--api-url', apiUrl),
    spaceId,
    apiTokenEnv: token.slice(ENV_PREFIX.length),
    auth,
    pathTemplate,
    events,
    chunkSize: integerOption(values, '--chunk-size', 'chunk-size', 1, 100),
    chunkDelay: integerOption(values, '--chunk-delay', 'chunk-delay', 0, 86_400),
    skipKeys: list(text(values, 'skip-keys')) ?? [],
    insecureSsl: values['insecure-ssl'] === true,
    entity: entityOptions(values, events),
    dryRun: values['dry-run'] === true,
  };
}

/** `Entity:rest` of a per-entity flag; the entity must be one the events name. */
function split(flag: string, value: string, entities: ReadonlySet<string>): [string, string] {
  const at = value.indexOf(':');
  const entity = at > 0 ? value.slice(0, at) : '';
  if (!entities.has(entity))
    throw new InputError(
      'bad_entity_option',
      `${flag} takes Entity:..., with an entity of --events (${[...entities].join(', ')}), got "${value}"`,
    );
  return [entity, value.slice(at + 1)];
}

function fields(flag: string, rest: string): string[] {
  const names = list(rest) ?? [];
  if (names.length === 0 || !names.every((name) => FIELD.test(name)))
    throw new InputError(
      'bad_entity_option',
      `${flag} takes Entity:field[,field...], got "${rest}"`,
    );
  return names;
}

function assignment(flag: string, rest: string): [string, string] {
  const at = rest.indexOf('=');
  const field = at > 0 ? rest.slice(0, at) : '';
  if (!FIELD.test(field) || at === rest.length - 1)
    throw new InputError('bad_entity_option', `${flag} takes Entity:field=value, got "${rest}"`);
  return [field, rest.slice(at + 1)];
}

function entityOptions(values: Values, events: readonly string[]): Record<string, EntityOptions> {
  const entities = new Set(events.map((event) => eventEntity(event) ?? ''));
  const result: Record<string, EntityOptions> = {};
  const of = (entity: string): EntityOptions => (result[entity] ??= {});
  for (const flag of ['expand', 'load-only', 'on-field-change'] as const)
    for (const value of texts(values, flag)) {
      const [entity, rest] = split(`--${flag}`, value, entities);
      const options = of(entity);
      options[flag] = [...(options[flag] ?? []), ...fields(`--${flag}`, rest)];
    }
  for (const value of texts(values, 'filter')) {
    const [entity, rest] = split('--filter', value, entities);
    const [field, raw] = assignment('--filter', rest);
    const matches = list(raw) ?? [];
    of(entity).filter = {
      ...of(entity).filter,
      [field]: matches.length === 1 ? (matches[0] ?? '') : matches,
    };
  }
  for (const value of texts(values, 'filter-op')) {
    const [entity, rest] = split('--filter-op', value, entities);
    const [field, operator] = assignment('--filter-op', rest);
    if (!FILTER_OPERATORS.includes(operator))
      throw new InputError(
        'bad_entity_option',
        `--filter-op operator must be one of ${FILTER_OPERATORS.join(', ')}`,
      );
    of(entity)['filter-op'] = { ...of(entity)['filter-op'], [field]: operator };
  }
  return result;
}
