/** The usage texts of `npm run connections`: the overall one and one per command. */
const FILE = `  --file PATH              the connections file (default: $CONNECTIONS_FILE)`;
const PUBLIC_URL = `  --public-url URL         where ingress is reachable (default: $PUBLIC_URL, else http://localhost:8080)`;
const SHOW = `  --show-secret            print secret values (never printed otherwise)`;

export const COMMAND_USAGE: Readonly<Record<string, string>> = {
  add: `usage: npm run connections -- add --source S --id ID [options]
  Adds a connection with a fresh secret, validates and writes the file, prints the webhook URL
  and how to configure it in the CRM.
  --source S               kommo | amocrm | kommo-chat | pipeliner
  --id ID                  [a-z0-9-]{1,64}, the {connectionId} of the webhook URL
  --account-id N           kommo/amocrm: the account id bodies must name (digits)
  --subdomain X            kommo/amocrm: the account subdomain bodies must name
  --expect-every-minutes N the ConnectionSilent alert fires after N minutes without a webhook
  --secret VALUE|env:NAME  use this secret (required for kommo-chat: Kommo issues it);
                           default: a 256-bit URL token (kommo/amocrm), a random UUID (pipeliner)
  --secret-manifest        print a Kubernetes Secret (crm-connections) with the new file on stdout
                           instead of writing the file (literal secrets need --show-secret)
  --namespace NS           namespace of that Secret (default crm-webhook)
${FILE}
${PUBLIC_URL}
${SHOW}`,
  rotate: `usage: npm run connections -- rotate ID [--secret VALUE|env:NAME] [--file PATH] [--public-url URL] [--show-secret]
  Puts a new secret in front of the connection's secrets; the old ones stay valid until retired.
  Then update the CRM (printed steps) and run retire.`,
  retire: `usage: npm run connections -- retire ID --secret-index N [--file PATH]
  Removes an old secret (index as shown by list, 0 = newest); the last secret cannot be retired.`,
  remove: `usage: npm run connections -- remove ID [--file PATH]
  Removes the connection from the file.`,
  list: `usage: npm run connections -- list [--metrics-url URL]... [--file PATH]
  One line per connection: id, source, account, secrets, expectEveryMinutes. With --metrics-url
  (ingress /metrics; repeat it for several pods: counters summed, timestamps maxed) also the
  webhooks received, the age of the last one, refused and unauthenticated requests and a status:
  ok | silent | never | failing-auth | refused.`,
  register: `usage: npm run connections -- register ID --api-url URL --space-id SPACE --api-token env:NAME [options]
  Creates the Pipeliner webhook of a pipeliner connection through Pipeliner's REST API, signed
  with the connection's first secret (signature UUID).
  --api-url URL            Pipeliner service URL, e.g. https://us-east.api.pipelinersales.com
  --space-id SPACE         your Pipeliner space id (fills {spaceId} of --path-template)
  --api-token env:NAME     the API credential, only from the environment: with --auth basic
                           "username:password" (API key and secret), with --auth bearer a token
  --auth basic|bearer      Authorization scheme (default basic)
  --path-template PATH     default /api/v100/rest/spaces/{spaceId}/webhooks
  --events E,E             default Account.*,Contact.*,Lead.*,Opportunity.*
  --chunk-size N           1-100 entities per delivery (Pipeliner's default 100)
  --chunk-delay S          chunk i is delayed by i*S seconds (default 0)
  --skip-keys K,K          requests with a Webhook-Skip-Key header in this list trigger nothing
  --insecure-ssl           Pipeliner skips TLS verification of the webhook URL (not recommended)
  --expand Entity:f,f      per-entity options (repeatable): related entities to expand,
  --load-only Entity:f,f     fields to send,
  --filter Entity:f=v[,v]    only records whose field f has one of the values,
  --filter-op Entity:f=op    the filter's operator (eq by default),
  --on-field-change Entity:f,f  only when one of these fields changes
  --dry-run                print the request (token and signature masked) and send nothing
${FILE}
${PUBLIC_URL}
${SHOW}`,
};

export const USAGE = `usage: npm run connections -- <command> [options]   (--help after a command for its options)
  add --source S --id ID [--account-id N --subdomain X] [--expect-every-minutes N]
      [--secret VALUE|env:NAME] [--secret-manifest [--namespace NS]]
  rotate ID [--secret VALUE|env:NAME]      new secret in front, old ones still valid
  retire ID --secret-index N               remove an old secret (never the last)
  remove ID
  list [--metrics-url URL]...              connections, with health from ingress metrics
  register ID --api-url URL --space-id SPACE --api-token env:NAME [--events ...] [--dry-run]
                                           create the Pipeliner webhook through its API
common: --file PATH (default $CONNECTIONS_FILE), --public-url URL (default $PUBLIC_URL),
        --show-secret (secrets are never printed otherwise)
exit: 0 done, 2 invalid input (nothing written or sent), 1 failure (I/O, network, remote API)`;
