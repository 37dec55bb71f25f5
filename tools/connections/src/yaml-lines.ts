import { isAlias, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';

/** Offsets and lines of YAML source text, for edits that leave every other byte alone. */

/** A text change: replace [start, end) with `insert`. */
export interface Change {
  readonly start: number;
  readonly end: number;
  readonly insert: string;
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The start of the line after the one holding `offset` (or `offset` if it starts a line). */
export function nextLine(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}

/** The `  - ` in front of a block sequence item: where its line starts and the dash's indent. */
export function dashOf(
  text: string,
  node: Node,
): { start: number; indent: string; column: number } | undefined {
  const at = node.range?.[0];
  if (at === undefined) return undefined;
  const start = lineStart(text, at);
  const match = /^( *)- +$/.exec(text.slice(start, at));
  return match ? { start, indent: match[1] ?? '', column: at - start } : undefined;
}

/**
 * Where a node's own content ends: its last value's end. A block
 * collection's range also covers comments up to the next item, which are
 * not its own.
 */
export function contentEnd(node: unknown): number | undefined {
  if (isScalar(node) || isAlias(node)) return node.range?.[1];
  if (!isMap(node) && !isSeq(node)) return undefined;
  if (node.flow) return node.range?.[1];
  const last: unknown = node.items[node.items.length - 1];
  if (isPair(last)) return contentEnd(last.value) ?? contentEnd(last.key);
  return contentEnd(last);
}

/**
 * The end of an item's lines: after its last value, plus the comment lines
 * indented at least to its content (`column`): those belong to it, not to
 * what follows.
 */
export function itemEnd(text: string, node: unknown, column: number): number | undefined {
  const end = contentEnd(node);
  if (end === undefined) return undefined;
  let at = nextLine(text, end);
  for (;;) {
    const next = nextLine(text, at + 1);
    const line = text.slice(at, next);
    const indent = /^ */.exec(line)?.[0].length ?? 0;
    if (at >= text.length || indent < column || line.trim() === '' || !line.trim().startsWith('#'))
      return at;
    at = next;
  }
}

export function apply(text: string, changes: readonly Change[]): string {
  let result = text;
  for (const change of [...changes].sort((a, b) => b.start - a.start))
    result = result.slice(0, change.start) + change.insert + result.slice(change.end);
  return result;
}

export function block(lines: readonly string[], dash: string, column: number): string {
  const [first, ...rest] = lines;
  return (
    [`${dash}- ${first ?? ''}`, ...rest.map((line) => `${' '.repeat(column)}${line}`)].join('\n') +
    '\n'
  );
}
