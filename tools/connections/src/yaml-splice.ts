import { isMap, isPair, isScalar, isSeq, type Document, type Node, type YAMLSeq } from 'yaml';
import {
  entryLines,
  secretScalar,
  type ConnectionsEdit,
  type EditTarget,
  type QuoteStyle,
} from './connection-entry.js';
import { apply, block, dashOf, itemEnd, lineStart, nextLine, type Change } from './yaml-lines.js';

const DEFAULT_INDENT = '  ';

function quoteOf(seq: YAMLSeq | undefined): QuoteStyle {
  const first = seq?.items[0];
  return isScalar(first) && first.type === 'QUOTE_DOUBLE' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
}

function secretsOf(conns: YAMLSeq, index: number): YAMLSeq | undefined {
  const entry = conns.items[index];
  const secrets = isMap(entry) ? entry.get('secrets', true) : undefined;
  return isSeq(secrets) && secrets.items.length > 0 ? secrets : undefined;
}

/**
 * The edit as a change of the lines it concerns only, every other byte kept;
 * undefined for a layout this does not handle (then the Document API is used).
 */
export function spliceEdit(
  text: string,
  doc: Document.Parsed,
  edit: ConnectionsEdit,
  target: EditTarget,
): string | undefined {
  if (doc.contents === null) {
    if (edit.kind !== 'add') return undefined;
    const lead = text === '' || text.endsWith('\n') ? '' : '\n';
    return `${text}${lead}connections:\n${block(entryLines(edit.entry, 'QUOTE_SINGLE'), DEFAULT_INDENT, 4)}`;
  }
  if (!isMap(doc.contents)) return undefined;
  const pair = doc.contents.items.find(
    (item) => isPair(item) && isScalar(item.key) && item.key.value === 'connections',
  );
  const conns = pair?.value;
  if (!pair || !isScalar(pair.key) || !isSeq(conns)) return undefined;
  const changes = changesFor(text, conns, edit, target, pair.key);
  return changes && apply(text, changes);
}

function changesFor(
  text: string,
  conns: YAMLSeq,
  edit: ConnectionsEdit,
  target: EditTarget,
  key: Node,
): Change[] | undefined {
  const keyColumn = (key.range?.[0] ?? 0) - lineStart(text, key.range?.[0] ?? 0);
  if (edit.kind === 'add') {
    const quote = quoteOf(conns.items.length > 0 ? secretsOf(conns, 0) : undefined);
    if (conns.flow) {
      const [open, close] = conns.range ?? [];
      if (conns.items.length > 0 || open === undefined || close === undefined) return undefined;
      let start = open;
      while (text[start - 1] === ' ') start -= 1;
      const dash = ' '.repeat(keyColumn + 2);
      const insert = block(entryLines(edit.entry, quote), dash, keyColumn + 4);
      const after = nextLine(text, close);
      const lead = after === text.length && !text.endsWith('\n') ? '\n' : '';
      return [
        { start, end: close, insert: '' },
        { start: after, end: after, insert: lead + insert },
      ];
    }
    const last = conns.items[conns.items.length - 1];
    const dash = isMap(last) && !last.flow ? dashOf(text, last) : undefined;
    const at = dash && itemEnd(text, last, dash.column);
    if (!dash || at === undefined) return undefined;
    const lead = at === text.length && !text.endsWith('\n') ? '\n' : '';
    return [
      {
        start: at,
        end: at,
        insert: lead + block(entryLines(edit.entry, quote), dash.indent, dash.column),
      },
    ];
  }
  if (conns.flow) return undefined;
  const entry = conns.items[target.index];
  if (edit.kind === 'remove') {
    const dash = isMap(entry) ? dashOf(text, entry) : undefined;
    const end = dash && itemEnd(text, entry, dash.column);
    if (!dash || end === undefined) return undefined;
    const removal = { start: dash.start, end, insert: '' };
    if (conns.items.length > 1) return [removal];
    // The last entry goes: the list stays a list (`connections: []`), as the schema requires.
    const colon = text.indexOf(':', key.range?.[1] ?? 0);
    return colon < 0 ? undefined : [removal, { start: colon + 1, end: colon + 1, insert: ' []' }];
  }
  const secrets = secretsOf(conns, target.index);
  if (!secrets) return undefined;
  return edit.kind === 'prepend-secret'
    ? prependSecret(text, secrets, edit.secret)
    : removeSecret(text, secrets, edit.index);
}

function prependSecret(text: string, secrets: YAMLSeq, secret: string): Change[] | undefined {
  const first = secrets.items[0] as Node | undefined;
  const at = first?.range?.[0];
  if (!first || at === undefined) return undefined;
  const value = secretScalar(secret, quoteOf(secrets));
  if (secrets.flow) return [{ start: at, end: at, insert: `${value}, ` }];
  const dash = dashOf(text, first);
  return dash && [{ start: dash.start, end: dash.start, insert: `${dash.indent}- ${value}\n` }];
}

function removeSecret(text: string, secrets: YAMLSeq, index: number): Change[] | undefined {
  const items = secrets.items as Node[];
  const item = items[index];
  const [start, end] = item?.range ?? [];
  if (!item || start === undefined || end === undefined) return undefined;
  if (secrets.flow) {
    const next = items[index + 1]?.range?.[0];
    const previous = items[index - 1]?.range?.[1];
    if (next !== undefined) return [{ start, end: next, insert: '' }];
    return previous === undefined ? undefined : [{ start: previous, end, insert: '' }];
  }
  const dash = dashOf(text, item);
  const last = dash && itemEnd(text, item, dash.column);
  return dash && last !== undefined ? [{ start: dash.start, end: last, insert: '' }] : undefined;
}
