import { describe, expect, it } from 'vitest';
import { RegionMap } from '../../src/node/RegionMap.js';

describe('region map', () => {
  it('places an address by its longest matching subnet, IPv4-mapped IPv6 as IPv4', () => {
    const m = new RegionMap({ eu: ['10.0.0.0/8', '2001:db8::/32'], paris: ['10.1.0.0/16'] });
    expect(m.lookup('10.2.3.4')).toBe('eu');
    expect(m.lookup('10.1.3.4')).toBe('paris');
    expect(m.lookup('::ffff:10.1.3.4')).toBe('paris');
    expect(m.lookup('2001:db8::1')).toBe('eu');
    expect(m.lookup('192.0.2.1')).toBeNull();
    expect(m.lookup('not an address')).toBeNull();
  });

  it('refuses what is not a CIDR subnet', () => {
    expect(() => new RegionMap({ eu: ['10.0.0.0'] })).toThrow(/not a CIDR subnet/);
    expect(() => new RegionMap({ eu: ['10.0.0.0/33'] })).toThrow(/not a CIDR subnet/);
    expect(() => new RegionMap({ eu: 'x' as unknown as string[] })).toThrow(/must list CIDR subnets/);
  });
});
