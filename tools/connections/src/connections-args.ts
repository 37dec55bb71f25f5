import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from './cli-errors.js';
import { parseAdd } from './add-args.js';
import { checkId, type Common, type ConnectionsCommand } from './connections-command.js';
import { parseRegisterOptions, REGISTER_OPTIONS } from './register-args.js';
import { COMMAND_USAGE, USAGE } from './usage.js';
import { checkHttpUrl, integerOption, text, texts, type Values } from './values.js';

export type { ConnectionsCommand } from './connections-command.js';

type Options = NonNullable<ParseArgsConfig['options']>;

const COMMON: Options = {
  file: { type: 'string' },
  'public-url': { type: 'string' },
  'show-secret': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const OPTIONS: Readonly<Record<string, Options>> = {
  add: {
    source: { type: 'string' },
    id: { type: 'string' },
    'account-id': { type: 'string' },
    subdomain: { type: 'string' },
    'expect-every-minutes': { type: 'string' },
    secret: { type: 'string' },
    'secret-manifest': { type: 'boolean' },
    namespace: { type: 'string' },
  },
  rotate: { secret: { type: 'string' } },
  retire: { 'secret-index': { type: 'string' } },
  remove: {},
  list: { 'metrics-url': { type: 'string', multiple: true } },
  register: REGISTER_OPTIONS,
};

/** Parses `npm run connections -- ...`; throws InputError naming the bad argument. */
export function parseConnectionsArgs(argv: readonly string[]): ConnectionsCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help')
    return { kind: 'help', text: USAGE };
  const own = OPTIONS[command];
  const usage = COMMAND_USAGE[command];
  if (own === undefined || usage === undefined)
    throw new InputError('unknown_command', `unknown command "${command}"`);
  if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help', text: usage };
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...COMMON, ...own },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new InputError('bad_argument', error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const publicUrl = text(values, 'public-url');
  const common: Common = {
    file: text(values, 'file'),
    publicUrl: publicUrl === undefined ? undefined : checkHttpUrl('--public-url', publicUrl),
    showSecret: values['show-secret'] === true,
  };
  if (command === 'add' || command === 'list') {
    if (positionals.length > 0)
      throw new InputError('bad_argument', `unexpected argument "${positionals[0] ?? ''}"`);
  } else if (positionals.length !== 1)
    throw new InputError('bad_argument', `${command} takes exactly one connection id`);
  const id = positionals[0];
  switch (command) {
    case 'add':
      return parseAdd(values, common);
    case 'rotate': {
      const secret = text(values, 'secret');
      return { ...common, kind: 'rotate', id: checkId(id, command), secret };
    }
    case 'retire': {
      const index = integerOption(values, '--secret-index', 'secret-index', 0, 1_000);
      if (index === undefined)
        throw new InputError('missing_index', 'retire needs --secret-index N');
      return { ...common, kind: 'retire', id: checkId(id, command), secretIndex: index };
    }
    case 'remove':
      return { ...common, kind: 'remove', id: checkId(id, command) };
    case 'list': {
      const urls = texts(values, 'metrics-url').map((url) => checkHttpUrl('--metrics-url', url));
      return { ...common, kind: 'list', metricsUrls: urls };
    }
    default:
      return {
        ...common,
        kind: 'register',
        id: checkId(id, command),
        register: parseRegisterOptions(values),
      };
  }
}
