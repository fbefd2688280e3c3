/** The SSRF guard's view of addresses: only public ones are public, whatever their spelling. */
import { describe, expect, it } from 'vitest';
import { nonPublicReason, resolveWebhookHost } from '../../src/engine/webhook-address.js';

describe('webhook addresses', () => {
  it('names why loopback, private, link-local, unique-local and unspecified addresses are refused', () => {
    for (const [address, why] of [
      ['127.0.0.1', 'loopback'],
      ['127.255.0.9', 'loopback'],
      ['10.0.0.1', 'private'],
      ['172.16.5.4', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.1.1', 'private'],
      ['169.254.169.254', 'link-local'],
      ['0.0.0.0', 'unspecified'],
      ['100.64.0.1', 'shared'],
      ['::1', 'loopback'],
      ['::', 'unspecified'],
      ['fe80::1%eth0', 'link-local'],
      ['fd12:3456::1', 'unique-local'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['::ffff:10.0.0.1', 'private'],
      ['0:0:0:0:0:ffff:a9fe:a9fe', 'link-local'],
      ['64:ff9b::192.168.0.1', 'private'],
      ['2002:7f00:1::', 'loopback'],
      ['ff02::1', 'multicast'],
    ]) {
      expect(nonPublicReason(address as string), address).toContain(why);
    }
  });

  it('lets public addresses through', () => {
    for (const address of ['8.8.8.8', '172.32.0.1', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2a00:1450:4007:80e::200e']) {
      expect(nonPublicReason(address), address).toBeNull();
    }
  });

  it('resolves names and refuses them when any address is not public, unless allowed', async () => {
    await expect(resolveWebhookHost('localhost', false)).rejects.toThrow(/loopback/);
    await expect(resolveWebhookHost('[::1]', false)).rejects.toThrow(/loopback/);
    expect(await resolveWebhookHost('[::1]', true)).toEqual({ address: '::1', family: 6 });
    expect(await resolveWebhookHost('127.0.0.1', true)).toEqual({ address: '127.0.0.1', family: 4 });
    expect(await resolveWebhookHost('8.8.8.8', false)).toEqual({ address: '8.8.8.8', family: 4 });
  });
});
