import { CE_HEADERS } from '@crm/contracts';

export interface TailRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, Buffer | undefined>>;
}

const COLORS: Record<string, number> = { kommo: 36, amocrm: 33, pipeliner: 35 };

function ceHeaders(record: TailRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.headers))
    if (value !== undefined && (name.startsWith('ce_') || name === 'traceparent'))
      out[name] = value.toString();
  return out;
}

function data(record: TailRecord, native: boolean): unknown {
  try {
    const parsed = JSON.parse(record.value?.toString() ?? 'null') as Record<string, unknown> | null;
    if (parsed && !native && 'native' in parsed) return { ...parsed, native: '…' };
    return parsed;
  } catch {
    return record.value?.toString();
  }
}

/** One canonical event for a terminal: a summary line, then `data` indented. */
export function formatEvent(
  record: TailRecord,
  options: { native: boolean; color: boolean },
): string {
  const ce = ceHeaders(record);
  const paint = (code: number, text: string) =>
    options.color ? `\u001b[${code}m${text}\u001b[0m` : text;
  const source = ce[CE_HEADERS.crmSource] ?? '?';
  const head = [
    paint(2, ce[CE_HEADERS.time] ?? '-'),
    paint(1, ce[CE_HEADERS.type] ?? '(no ce_type)'),
    ce[CE_HEADERS.subject] ?? '-',
    paint(COLORS[source] ?? 37, `${source}/${ce[CE_HEADERS.crmConnection] ?? '?'}`),
    paint(2, `id=${ce[CE_HEADERS.id] ?? '-'} p${record.partition}@${record.offset}`),
  ].join('  ');
  const body = JSON.stringify(data(record, options.native), null, 2)
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return `${head}\n${body}\n`;
}

/** One JSON line per event: headers, key and data (for jq). */
export function formatJsonLine(record: TailRecord, native: boolean): string {
  return `${JSON.stringify({ key: record.key?.toString() ?? null, headers: ceHeaders(record), data: data(record, native) })}\n`;
}
