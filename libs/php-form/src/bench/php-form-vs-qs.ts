import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { decodeForm } from '../decode-form.js';

/**
 * decodeForm against the `qs` package: decode speed on realistic Kommo bodies,
 * and the answers of both (and of PHP) on the keys PHP treats specially.
 * Prints numbers and tables; asserts nothing. `qs` is not a dependency of
 * ours: it is loaded from node_modules (it arrives with @nestjs/platform-express).
 *
 *   npx tsx --tsconfig tsconfig.base.json --conditions=@crm/source libs/php-form/src/bench/php-form-vs-qs.ts
 */
interface Qs {
  parse(text: string, options?: Record<string, unknown>): unknown;
}

const qs = loadQs();
/** qs set as close to PHP as its options go. */
const QS_PHP_LIKE = {
  depth: 12,
  arrayLimit: 1000,
  parameterLimit: 5000,
  duplicates: 'last',
  allowSparse: true,
  plainObjects: true,
  allowPrototypes: true,
  strictDepth: true,
};

function loadQs(): Qs {
  try {
    return createRequire(import.meta.url)('qs') as Qs;
  } catch {
    process.stderr.write('qs is not in node_modules: nothing to compare with\n');
    process.exit(1);
  }
}

const form = (pairs: [string, string | number][]): Buffer =>
  Buffer.from(pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));

/** A digital-pipeline stage change, as Kommo sends it (one lead, account). */
const DP_STATUS = form([
  ['leads[status][0][id]', 25431551],
  ['leads[status][0][status_id]', 34354531],
  ['leads[status][0][pipeline_id]', 3273697],
  ['leads[status][0][old_status_id]', 35108005],
  ['leads[status][0][old_pipeline_id]', 3273697],
  ['account[id]', 9884604],
  ['account[subdomain]', 'acme'],
]);

/** An account webhook with five updated leads, each with a custom field (Cyrillic). */
const LEADS_UPDATE = form([
  ...Array.from({ length: 5 }, (_, i): [string, string | number][] => {
    const p = `leads[update][${i}]`;
    return [
      [`${p}[id]`, 1190000 + i],
      [`${p}[name]`, `Сделка №${i}`],
      [`${p}[status_id]`, 142],
      [`${p}[pipeline_id]`, 3000],
      [`${p}[price]`, 1500 + i],
      [`${p}[responsible_user_id]`, 77],
      [`${p}[last_modified]`, 1700000000 + i],
      [`${p}[custom_fields][0][id]`, 111],
      [`${p}[custom_fields][0][name]`, 'Телефон'],
      [`${p}[custom_fields][0][values][0][value]`, '+7 916 123-45-67'],
      [`${p}[custom_fields][0][values][0][enum]`, 201],
    ];
  }).flat(),
  ['account[id]', 9884604],
  ['account[subdomain]', 'acme'],
]);

const DECODERS: Record<string, (body: Buffer) => unknown> = {
  'php-form': (body) => decodeForm(body),
  'qs (defaults)': (body) => qs.parse(body.toString('utf8')),
  'qs (PHP-like options)': (body) => qs.parse(body.toString('utf8'), QS_PHP_LIKE),
};

/** Median µs per decode over `rounds` rounds, decoders taking turns so host drift hits all alike. */
function timeAll(body: Buffer, iterations: number, rounds: number): Record<string, number> {
  const samples: Record<string, number[]> = {};
  for (const [name, decode] of Object.entries(DECODERS)) {
    for (let i = 0; i < iterations; i++) decode(body); // warm-up
    samples[name] = [];
  }
  for (let round = 0; round < rounds; round++) {
    for (const [name, decode] of Object.entries(DECODERS)) {
      const start = performance.now();
      for (let i = 0; i < iterations; i++) decode(body);
      samples[name]?.push(((performance.now() - start) * 1000) / iterations);
    }
  }
  const median = (list: number[]): number =>
    [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? NaN;
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

const json = (value: unknown): string => JSON.stringify(value) ?? 'undefined';
const attempt = (decode: () => unknown): string => {
  try {
    return json(decode());
  } catch (error) {
    return `throws (${error instanceof Error ? error.message : String(error)})`;
  }
};

for (const [label, body] of [
  ['dp leads[status], 1 lead', DP_STATUS],
  ['leads[update], 5 leads + custom fields', LEADS_UPDATE],
] as const) {
  const reference = json(decodeForm(body));
  const times = timeAll(body, Math.ceil(3_000_000 / body.length), 9);
  console.log(`\n${label} (${body.length} bytes): median µs per decode`);
  for (const [name, us] of Object.entries(times)) {
    const same = json(DECODERS[name]?.(body)) === reference ? 'same result' : 'DIFFERENT result';
    console.log(`  ${name.padEnd(24)} ${us.toFixed(2).padStart(8)}  ${same}`);
  }
}

/** What PHP 8's parse_str gives (php.net "Variables From External Sources", main/php_variables.c). */
const EDGE_CASES: [string, string][] = [
  ['a[]=1&a[]=2', '{"a":["1","2"]}'],
  ['a[]=1&a[]=2&a[5]=x&a[]=3', '{"a":{"0":"1","1":"2","5":"x","6":"3"}}'],
  ['a[2]=x&a[5]=y', '{"a":{"2":"x","5":"y"}}'],
  ['a[b]x=1', '{"a":{"b":"1"}}'],
  ['a[b]c[d]=1', '{"a":{"b":"1"}}'],
  ['a[b=1', '{"a_b":"1"}'],
  ['q=a+b%2Bc', '{"q":"a b+c"}'],
  ['a=1&a=2', '{"a":"2"}'],
  ['a[b]=1&a=2', '{"a":"2"}'],
  ['a=2&a[b]=1', '{"a":{"b":"1"}}'],
  ['a.b=1&a b=2', '{"a_b":"2"}'],
  ['%20a=1', '{"a":"1"}'],
  [`a${'[x]'.repeat(7)}=1`, '7 levels: kept (PHP max_input_nesting_level 64)'],
  [`a${'[x]'.repeat(13)}=1`, '13 levels: kept (PHP max_input_nesting_level 64)'],
  ['__proto__[p]=1&a[constructor]=2', '{"__proto__":{"p":"1"},"a":{"constructor":"2"}}'],
];

console.log('\nedge cases: PHP, then each decoder');
for (const [input, php] of EDGE_CASES) {
  console.log(`\n  ${input}\n    PHP                      ${php}`);
  for (const [name, decode] of Object.entries(DECODERS))
    console.log(`    ${name.padEnd(24)} ${attempt(() => decode(Buffer.from(input)))}`);
}
