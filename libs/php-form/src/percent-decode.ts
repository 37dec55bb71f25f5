const UTF8 = new TextDecoder('utf-8', { fatal: true });

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

function asciiOnly(bytes: Buffer, start: number, end: number): string | undefined {
  for (let i = start; i < end; i++) if ((bytes[i] ?? 0) >= 0x80) return undefined;
  return bytes.toString('latin1', start, end);
}

/**
 * `application/x-www-form-urlencoded` component decoding as PHP's urldecode:
 * `+` is a space, `%XX` a byte, a malformed `%` stays literal. The bytes must
 * be valid UTF-8 (TypeError otherwise).
 */
export function percentDecode(bytes: Buffer, start: number, end: number): string {
  let plain = true;
  for (let i = start; i < end; i++) {
    const byte = bytes[i] ?? 0;
    if (byte === 0x25 || byte === 0x2b || byte >= 0x80) {
      plain = false;
      break;
    }
  }
  if (plain) return bytes.toString('latin1', start, end);
  const ascii = asciiOnly(bytes, start, end);
  if (ascii) {
    // Fast path: the engine's decoder; it throws on a malformed % or bad UTF-8 (handled below).
    try {
      return decodeURIComponent(ascii.replace(/\+/g, ' '));
    } catch {
      // fall through to the byte-wise decoder
    }
  }
  const out = Buffer.allocUnsafe(end - start);
  let length = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i] ?? 0;
    if (byte === 0x2b) {
      out[length++] = 0x20;
      continue;
    }
    if (byte === 0x25 && i + 2 < end) {
      const high = hexValue(bytes[i + 1] ?? 0);
      const low = hexValue(bytes[i + 2] ?? 0);
      if (high >= 0 && low >= 0) {
        out[length++] = high * 16 + low;
        i += 2;
        continue;
      }
    }
    out[length++] = byte;
  }
  return UTF8.decode(out.subarray(0, length));
}
