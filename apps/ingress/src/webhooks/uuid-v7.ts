import { pooledRandomBytes, randomByte, randomHex } from './random-pool.js';

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
  private prefixMs = -1;
  private prefix = '';

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
    // Built as text straight from the pool: no Buffers per id.
    if (ms !== this.prefixMs) {
      const time = ms.toString(16).padStart(12, '0');
      this.prefix = `${time.slice(0, 8)}-${time.slice(8)}-`;
      this.prefixMs = ms;
    }
    const random = randomHex(7);
    const variant = HEX[0x80 | (randomByte() & 0x3f)] ?? '80';
    return `${this.prefix}${(0x7000 | this.counter).toString(16)}-${variant}${random.slice(0, 2)}-${random.slice(2)}`;
  }
}
