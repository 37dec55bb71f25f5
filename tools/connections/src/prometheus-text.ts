/** One sample of the Prometheus text exposition format. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', '\\': '\\', '"': '"' };

function number(token: string): number {
  if (token === '+Inf' || token === 'Inf') return Infinity;
  if (token === '-Inf') return -Infinity;
  if (token === 'NaN') return NaN;
  const value = token === '' ? NaN : Number(token);
  if (Number.isNaN(value)) throw new Error(`not a number: "${token}"`);
  return value;
}

/** Reads `{a="x",b="y"}` from the start of `rest`; returns the labels and the text after `}`. */
function labelsOf(rest: string): { labels: Record<string, string>; after: string } {
  const labels: Record<string, string> = {};
  let i = 1;
  for (;;) {
    while (rest[i] === ' ' || rest[i] === ',') i += 1;
    if (rest[i] === '}') return { labels, after: rest.slice(i + 1) };
    const name = LABEL_NAME.exec(rest.slice(i))?.[0];
    if (!name || rest[i + name.length] !== '=' || rest[i + name.length + 1] !== '"')
      throw new Error('bad label');
    i += name.length + 2;
    let value = '';
    while (rest[i] !== '"') {
      const char = rest[i];
      if (char === undefined) throw new Error('unterminated label value');
      if (char === '\\') {
        value += ESCAPES[rest[i + 1] ?? ''] ?? `\\${rest[i + 1] ?? ''}`;
        i += 2;
      } else {
        value += char;
        i += 1;
      }
    }
    labels[name] = value;
    i += 1;
  }
}

/**
 * Parses the text format Prometheus scrapes (what prom-client serves at
 * /metrics): `# HELP`/`# TYPE` and other comments are skipped; an optional
 * timestamp after the value is ignored. Throws naming the bad line.
 */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    try {
      const name = NAME.exec(line)?.[0];
      if (!name) throw new Error('no metric name');
      let rest = line.slice(name.length);
      let labels: Record<string, string> = {};
      if (rest.startsWith('{')) ({ labels, after: rest } = labelsOf(rest));
      const [value = '', timestamp, extra] = rest.trim().split(/\s+/);
      if (extra !== undefined || (timestamp !== undefined && !/^-?\d+$/.test(timestamp)))
        throw new Error('unexpected text after the value');
      samples.push({ name, labels, value: number(value) });
    } catch (error) {
      throw new Error(`line ${index + 1}: ${(error as Error).message}: ${line.slice(0, 120)}`);
    }
  });
  return samples;
}
