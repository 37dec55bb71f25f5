/*
 * Reading Prometheus's text exposition format, for the tools that scrape the
 * services' /metrics (`npm run connections list`, `bench:ingress`). Our own,
 * about 70 lines: prom-client only writes the format, and the npm parsers of
 * it are unmaintained (parse-prometheus-text-format's last release is from 2019).
 */

/** One sample of the Prometheus text exposition format. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', '\\': '\\', '"': '"' };

/** A sample value as Prometheus reads it: Go's ParseFloat, so NaN and Inf in any case (prom-client writes `Nan`). */
function number(token: string): number {
  const special = token.toLowerCase();
  if (special === '+inf' || special === 'inf') return Infinity;
  if (special === '-inf') return -Infinity;
  if (special === 'nan') return NaN;
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

function sameLabels(
  labels: Readonly<Record<string, string>>,
  wanted: Readonly<Record<string, string>>,
  ignore?: string,
): boolean {
  const names = Object.keys(labels).filter((name) => name !== ignore);
  return (
    names.length === Object.keys(wanted).length &&
    names.every((name) => labels[name] === wanted[name])
  );
}

/**
 * The value of the sample named `name` with exactly these labels; undefined
 * when there is none (a labelled counter appears only on its first increment).
 */
export function sampleValue(
  samples: readonly Sample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  return samples.find((sample) => sample.name === name && sameLabels(sample.labels, labels))?.value;
}

/** Cumulative bucket counts of one histogram series (`labels` without `le`): `le` (seconds) → count. */
export function histogramBuckets(
  samples: readonly Sample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Map<number, number> {
  const buckets = new Map<number, number>();
  for (const sample of samples) {
    const le = sample.labels['le'];
    if (sample.name !== `${name}_bucket` || le === undefined) continue;
    if (!sameLabels(sample.labels, labels, 'le')) continue;
    buckets.set(le === '+Inf' ? Infinity : Number(le), sample.value);
  }
  return buckets;
}

/**
 * The upper bound of the bucket holding quantile `q` of what was observed
 * between two scrapes (`before`, `after` from histogramBuckets); undefined
 * when nothing was.
 */
export function quantileBound(
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
  q: number,
): number | undefined {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const observed = (le: number): number => (after.get(le) ?? 0) - (before.get(le) ?? 0);
  const total = observed(Infinity);
  if (!(total > 0)) return undefined;
  return bounds.find((le) => observed(le) >= q * total);
}
