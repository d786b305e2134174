import { readFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { CanopyError, ErrorCode } from '../errors.js';

/** The most subnets one region map may hold (a named limit: the file is operator input). */
export const MAX_REGION_ENTRIES = 10_000;

interface Entry {
  region: string;
  prefix: number;
  list: BlockList;
}

/**
 * Client subnets to regions, for directing viewers to a near relay (patent [0033]: "nearest
 * first"). The file is JSON: `{"east": ["10.1.0.0/16", "2001:db8::/32"], "west": [...]}`. The
 * longest matching prefix wins.
 */
export class RegionMap {
  private readonly entries: Entry[];

  constructor(map: Record<string, readonly string[]>) {
    const entries: Entry[] = [];
    for (const [region, cidrs] of Object.entries(map)) {
      if (!Array.isArray(cidrs)) throw new CanopyError(ErrorCode.CONFIG, `region map: ${region} must list CIDR subnets`);
      for (const cidr of cidrs) {
        const m = /^([^/]+)\/(\d{1,3})$/.exec(String(cidr));
        const family = m ? isIP(m[1]!) : 0;
        const prefix = m ? Number(m[2]) : -1;
        if (!m || family === 0 || prefix > (family === 4 ? 32 : 128))
          throw new CanopyError(ErrorCode.CONFIG, `region map: ${JSON.stringify(cidr)} is not a CIDR subnet`);
        const list = new BlockList();
        list.addSubnet(m[1]!, prefix, family === 4 ? 'ipv4' : 'ipv6');
        entries.push({ region, prefix: family === 4 ? prefix + 96 : prefix, list });
        if (entries.length > MAX_REGION_ENTRIES) throw new CanopyError(ErrorCode.CONFIG, `region map: more than ${MAX_REGION_ENTRIES} subnets`);
      }
    }
    this.entries = entries.sort((a, b) => b.prefix - a.prefix);
  }

  static load(path: string): RegionMap {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new CanopyError(ErrorCode.CONFIG, `--region-map: cannot read ${path}: ${(err as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new CanopyError(ErrorCode.CONFIG, `--region-map: ${path} must hold an object of region → subnets`);
    return new RegionMap(parsed as Record<string, string[]>);
  }

  /** The region of a client address, or null. IPv4-mapped IPv6 addresses count as IPv4. */
  lookup(address: string): string | null {
    const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    const addr = v4 ?? address;
    const family = isIP(addr);
    if (family === 0) return null;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    for (const e of this.entries) if (e.list.check(addr, type)) return e.region;
    return null;
  }
}
