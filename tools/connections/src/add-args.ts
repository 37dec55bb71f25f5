import { SOURCES, isSource } from '@crm/contracts';
import { InputError } from './cli-errors.js';
import { checkId, type Common, type ConnectionsCommand } from './connections-command.js';
import { checkGivenSecret } from './secrets.js';
import { integerOption, text, type Values } from './values.js';

const SUBDOMAIN = /^[a-z0-9][a-z0-9-]{0,62}$/i;
const ACCOUNT_ID = /^[1-9][0-9]{0,18}$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function parseAdd(values: Values, common: Common): ConnectionsCommand {
  const source = text(values, 'source');
  if (source === undefined || !isSource(source))
    throw new InputError(
      'bad_source',
      `--source must be one of ${SOURCES.join(', ')}${source === undefined ? '' : `, got "${source}"`}`,
    );
  const id = checkId(text(values, 'id'), 'add --id');
  const accountId = text(values, 'account-id');
  const subdomain = text(values, 'subdomain');
  if (accountId !== undefined && !ACCOUNT_ID.test(accountId))
    throw new InputError(
      'bad_account',
      `--account-id must be digits (the CRM account id), got "${accountId}"`,
    );
  if (subdomain !== undefined && !SUBDOMAIN.test(subdomain))
    throw new InputError('bad_account', `--subdomain must be a DNS label, got "${subdomain}"`);
  const hasAccount = accountId !== undefined || subdomain !== undefined;
  if (hasAccount && source !== 'kommo' && source !== 'amocrm')
    throw new InputError(
      'bad_account',
      '--account-id and --subdomain apply to kommo and amocrm only',
    );
  const secret = text(values, 'secret');
  const namespace = text(values, 'namespace') ?? 'crm-webhook';
  if (!NAMESPACE.test(namespace))
    throw new InputError(
      'bad_namespace',
      `--namespace must be a Kubernetes namespace name, got "${namespace}"`,
    );
  return {
    ...common,
    kind: 'add',
    source,
    id,
    account: hasAccount
      ? {
          ...(accountId !== undefined ? { id: accountId } : {}),
          ...(subdomain !== undefined ? { subdomain } : {}),
        }
      : undefined,
    expectEveryMinutes: integerOption(
      values,
      '--expect-every-minutes',
      'expect-every-minutes',
      1,
      525_600,
    ),
    secret: secret === undefined ? undefined : checkGivenSecret(source, secret),
    secretManifest: values['secret-manifest'] === true,
    namespace,
  };
}
