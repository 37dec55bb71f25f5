/**
 * Splits a decoded PHP form key into its path: `a[b][0][]` -> ['a', 'b', '0', ''].
 * As PHP: an unclosed `[` makes the rest part of the plain name, text after a
 * closing `]` that does not open a new `[` is ignored. An empty segment means
 * "append" (`[]`).
 */
export function parseKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const path = [key.slice(0, open)];
  let position = open;
  while (position < key.length && key[position] === '[') {
    const close = key.indexOf(']', position + 1);
    if (close < 0) {
      if (path.length === 1) return [key];
      break;
    }
    path.push(key.slice(position + 1, close));
    position = close + 1;
  }
  return path;
}
