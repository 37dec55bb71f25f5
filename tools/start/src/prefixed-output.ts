import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';

const COLORS = [36, 33, 35, 32, 34, 91, 96, 93];

/** Copies a child's output to ours line by line, each line prefixed with the app's name. */
export function pipePrefixed(stream: Readable, name: string, index: number, width: number): void {
  const color = COLORS[index % COLORS.length] ?? 37;
  const useColor = process.stdout.isTTY;
  const label = name.padEnd(width);
  const prefix = useColor ? `\u001b[${color}m${label} |\u001b[0m ` : `${label} | `;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
    process.stdout.write(`${prefix}${line}\n`);
  });
}
