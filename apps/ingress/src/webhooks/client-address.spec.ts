import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientAddressResolver } from './client-address.js';

describe('ClientAddressResolver', () => {
  const resolver = new ClientAddressResolver(['10.0.0.0/8', '127.0.0.1', 'fd00::/8']);
  const cases: [string, string | undefined, string | string[] | undefined, string][] = [
    ['no proxy header', '203.0.113.9', undefined, '203.0.113.9'],
    ['untrusted peer: header ignored', '203.0.113.9', '198.51.100.1', '203.0.113.9'],
    ['trusted peer: last hop', '10.1.2.3', '198.51.100.1', '198.51.100.1'],
    ['skips trusted hops', '10.1.2.3', '198.51.100.1, 10.9.9.9', '198.51.100.1'],
    ['spoofed left part ignored', '10.1.2.3', '1.1.1.1, 198.51.100.1', '198.51.100.1'],
    ['dual-stack peer', '::ffff:127.0.0.1', '198.51.100.7', '198.51.100.7'],
    ['ipv6 proxy', 'fd12::1', '2001:db8::5', '2001:db8::5'],
    ['garbage hop', '10.1.2.3', 'not-an-ip', '10.1.2.3'],
    ['repeated headers', '10.1.2.3', ['198.51.100.1', '10.2.2.2'], '198.51.100.1'],
    ['all hops trusted', '10.1.2.3', '10.4.4.4', '10.4.4.4'],
    ['missing peer', undefined, '198.51.100.1', ''],
  ];
  for (const [name, peer, header, expected] of cases) {
    it(name, () => assert.equal(resolver.resolve(peer, header), expected));
  }

  it('believes nothing without trusted proxies', () => {
    assert.equal(new ClientAddressResolver([]).resolve('10.1.2.3', '1.2.3.4'), '10.1.2.3');
  });

  it('refuses a bad entry', () => {
    assert.throws(() => new ClientAddressResolver(['proxy.local']), /not an IP address/);
  });
});
