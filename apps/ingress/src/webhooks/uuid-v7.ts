import { pooledRandomBytes } from './random-pool.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * RFC 9562 UUIDv7: 48-bit Unix milliseconds, version 7, variant 10, then
 * random bits. Within one millisecond the 12-bit `rand_a` field is a counter
 * seeded randomly (method 1 of §6.2), so ids from one process sort in the
 * order they were made; when it overflows, the timestamp borrows a millisecond.
 */
export class UuidV7Generator {
  private lastMs = -1;
  private counter = 0;

  constructor(private readonly now: () => number = Date.now) {}

  next(): string {
    let ms = this.now();
    if (ms > this.lastMs) {
      this.lastMs = ms;
      this.counter = pooledRandomBytes(2).readUInt16BE(0) & 0x7ff; // leave room to count up
    } else {
      ms = this.lastMs;
      this.counter += 1;
      if (this.counter > 0xfff) {
        this.lastMs = ms = this.lastMs + 1;
        this.counter = 0;
      }
    }
    const rand = pooledRandomBytes(8);
    const b = Buffer.allocUnsafe(16);
    b.writeUIntBE(ms, 0, 6);
    b[6] = 0x70 | (this.counter >> 8);
    b[7] = this.counter & 0xff;
    b[8] = 0x80 | ((rand[0] ?? 0) & 0x3f);
    rand.copy(b, 9, 1, 8);
    return format(b);
  }
}

function format(b: Buffer): string {
  let out = '';
  for (let i = 0; i < 16; i += 1) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
    out += HEX[b[i] ?? 0];
  }
  return out;
}
