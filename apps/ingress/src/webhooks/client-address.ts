import { BlockList, isIP } from 'node:net';

/**
 * Resolves the client address of a request. X-Forwarded-For is honoured only
 * when the peer is a trusted proxy, and then read right to left, skipping
 * trusted hops: the first untrusted address is the client. Anything a client
 * wrote to the left of that cannot be believed and is ignored.
 */
export class ClientAddressResolver {
  private readonly trusted = new BlockList();
  private readonly any: boolean;

  /** @param proxies addresses or CIDRs, IPv4 or IPv6 (validated at start-up). */
  constructor(proxies: readonly string[]) {
    for (const entry of proxies) {
      const [address = '', prefix] = entry.split('/');
      const family = isIP(address);
      if (family === 0) throw new Error(`trusted proxy "${entry}" is not an IP address or CIDR`);
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.trusted.addAddress(address, type);
      else this.trusted.addSubnet(address, Number(prefix), type);
    }
    this.any = proxies.length > 0;
  }

  resolve(peer: string | undefined, forwardedFor: string | string[] | undefined): string {
    let client = normalize(peer ?? '');
    if (!this.any || forwardedFor === undefined || !this.isTrusted(client)) return client;
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
    for (let i = hops.length - 1; i >= 0; i -= 1) {
      const hop = normalize(hops[i]?.trim() ?? '');
      if (isIP(hop) === 0) break; // garbage: stop at the last address we could vouch for
      client = hop;
      if (!this.isTrusted(hop)) break;
    }
    return client;
  }

  private isTrusted(address: string): boolean {
    const family = isIP(address);
    return family !== 0 && this.trusted.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/** `::ffff:10.1.2.3` (IPv4 on a dual-stack socket) becomes `10.1.2.3`. */
function normalize(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
