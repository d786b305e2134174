/**
 * Builds and removes the fleet's network (see topology.ts): namespaces, bridges, veths, the
 * routed fabric, the host's management route, and the nftables tables in the fabric (random
 * loss on chosen LANs, multicast counters per LAN). Everything carries the plan's prefix, and
 * everything but the host's end of the management veth lives inside namespaces the fleet
 * owns, so deleting those namespaces removes it all (the host's veth end goes with its peer).
 */
import { execFileSync } from 'node:child_process';
import { namespaces, type FleetHost, type FleetLan, type FleetPlan } from './topology.js';

const MCAST_TABLE = 'fl_mcast';
const LOSS_TABLE = 'fl_loss';

function run(cmd: string, args: string[], input?: string): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...(input !== undefined ? { input } : {}) });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')}: ${(e.stderr ?? '').trim() || e.message}`);
  }
}

const ip = (...args: string[]) => run('ip', args);

/** Whether this process can build namespaces (root, iproute2 and nftables present); else why not. */
export function fleetPrerequisites(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces, bridges, nftables)';
  for (const [cmd, args] of [
    ['ip', ['-V']],
    ['nft', ['--version']],
  ] as const) {
    try {
      execFileSync(cmd, [...args], { stdio: 'ignore' });
    } catch {
      return `needs ${cmd} (${cmd === 'ip' ? 'iproute2' : 'nftables'})`;
    }
  }
  return null;
}

/**
 * Namespaces with the prefix left by an earlier run that could not clean up (kill -9), and the
 * processes still running in them (its nodes outlive a killed orchestrator).
 */
export function removeStale(prefix: string): string[] {
  const names = listNamespaces().filter((n) => n.startsWith(`${prefix}-`));
  for (const n of names) {
    for (const pid of run('ip', ['netns', 'pids', n])
      .split('\n')
      .map(Number)
      .filter((x) => x > 1)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    deleteNamespace(n);
  }
  try {
    ip('link', 'del', `${prefix}m0`);
  } catch {
    // not there
  }
  return names;
}

function listNamespaces(): string[] {
  try {
    return run('ip', ['netns', 'list'])
      .split('\n')
      .map((l) => l.split(' ')[0]!.trim())
      .filter(Boolean);
  } catch {
    return [];
  }
}

function deleteNamespace(name: string): void {
  try {
    ip('netns', 'del', name);
  } catch {
    // already gone
  }
}

export class FleetNetwork {
  private built = false;

  constructor(readonly plan: FleetPlan) {}

  /** Creates everything; on a failure half-way, removes what it made and rethrows. */
  up(): void {
    const p = this.plan;
    this.built = true;
    try {
      const fab = p.fabricNs;
      ip('netns', 'add', fab);
      ip('-n', fab, 'link', 'set', 'lo', 'up');
      run('ip', ['netns', 'exec', fab, 'sysctl', '-qw', 'net.ipv4.ip_forward=1', 'net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0']);
      for (const lan of p.lans) {
        // No IGMP snooping: a LAN's few hosts all get its multicast, like a plain switch.
        ip('-n', fab, 'link', 'add', lan.bridge, 'type', 'bridge', 'mcast_snooping', '0');
        ip('-n', fab, 'addr', 'add', `${lan.gateway}/24`, 'dev', lan.bridge);
        ip('-n', fab, 'link', 'set', lan.bridge, 'up');
      }
      const lanOf = new Map(p.lans.map((l) => [l.name, l]));
      for (const h of [...p.nodes, p.studio, p.viewers]) this.addHost(h, lanOf.get(h.lan)!);
      const m = p.mgmt;
      ip('link', 'add', m.hostIf, 'type', 'veth', 'peer', 'name', m.fabricIf, 'netns', fab);
      ip('addr', 'add', `${m.hostIp}/30`, 'dev', m.hostIf);
      ip('link', 'set', m.hostIf, 'up');
      ip('-n', fab, 'addr', 'add', `${m.fabricIp}/30`, 'dev', m.fabricIf);
      ip('-n', fab, 'link', 'set', m.fabricIf, 'up');
      ip('route', 'add', m.route, 'via', m.fabricIp, 'dev', m.hostIf);
      this.nft(this.mcastRules());
    } catch (err) {
      this.down();
      throw err;
    }
  }

  private addHost(h: Pick<FleetHost, 'ns' | 'ip' | 'vethIn' | 'vethOut'>, lan: FleetLan): void {
    const fab = this.plan.fabricNs;
    ip('netns', 'add', h.ns);
    ip('-n', h.ns, 'link', 'set', 'lo', 'up');
    ip('-n', fab, 'link', 'add', h.vethOut, 'type', 'veth', 'peer', 'name', h.vethIn, 'netns', h.ns);
    ip('-n', fab, 'link', 'set', h.vethOut, 'master', lan.bridge);
    ip('-n', fab, 'link', 'set', h.vethOut, 'up');
    ip('-n', h.ns, 'addr', 'add', `${h.ip}/24`, 'dev', h.vethIn);
    ip('-n', h.ns, 'link', 'set', h.vethIn, 'up');
    ip('-n', h.ns, 'route', 'add', 'default', 'via', lan.gateway);
  }

  private nft(script: string): void {
    run('ip', ['netns', 'exec', this.plan.fabricNs, 'nft', '-f', '-'], script);
  }

  /** One counter per LAN: multicast UDP datagrams entering its bridge (each datagram once). */
  private mcastRules(): string {
    // By the bridge ports of each LAN's hosts (this kernel's bridge family has no ibrname match).
    const hosts = [...this.plan.nodes, this.plan.studio, this.plan.viewers];
    const rules = this.plan.lans.map((l) => {
      const ports = hosts.filter((h) => h.lan === l.name).map((h) => `"${h.vethOut}"`);
      return `    iifname { ${ports.join(', ')} } ip daddr 224.0.0.0/4 meta l4proto udp counter comment "${l.name}"`;
    });
    return `table bridge ${MCAST_TABLE} {\n  chain pre {\n    type filter hook prerouting priority 0; policy accept;\n${rules.join('\n')}\n  }\n}\n`;
  }

  /**
   * Random loss of `pct` percent on every packet the fabric forwards into or out of the named
   * LANs (both directions; a packet between two lossy LANs gets two chances to be dropped).
   */
  setLoss(pct: number, lans: string[]): void {
    const byName = new Map(this.plan.lans.map((l) => [l.name, l]));
    const rules: string[] = [];
    for (const name of lans) {
      const lan = byName.get(name);
      if (!lan) throw new Error(`no LAN named ${name}`);
      rules.push(
        `    iifname "${lan.bridge}" numgen random mod 100 < ${pct} counter drop`,
        `    oifname "${lan.bridge}" numgen random mod 100 < ${pct} counter drop`,
      );
    }
    this.nft(`table inet ${LOSS_TABLE} {\n  chain forward_loss {\n    type filter hook forward priority -10; policy accept;\n${rules.join('\n')}\n  }\n}\n`);
  }

  /** Multicast datagrams and bytes seen on each LAN since the network was built. */
  multicastCounters(): Map<string, { packets: number; bytes: number }> {
    const out = new Map<string, { packets: number; bytes: number }>();
    const json = JSON.parse(run('ip', ['netns', 'exec', this.plan.fabricNs, 'nft', '-j', 'list', 'table', 'bridge', MCAST_TABLE])) as {
      nftables: Array<{ rule?: { comment?: string; expr?: Array<{ counter?: { packets: number; bytes: number } }> } }>;
    };
    for (const item of json.nftables) {
      const r = item.rule;
      if (!r?.comment) continue;
      const c = r.expr?.find((e) => e.counter)?.counter;
      if (c) out.set(r.comment, { packets: c.packets, bytes: c.bytes });
    }
    return out;
  }

  /** Removes every namespace of the plan (and with them the bridges, veths and tables). Idempotent, synchronous. */
  down(): void {
    if (!this.built) return;
    this.built = false;
    try {
      ip('link', 'del', this.plan.mgmt.hostIf);
    } catch {
      // gone with the fabric, or never made
    }
    const present = new Set(listNamespaces());
    for (const ns of namespaces(this.plan)) if (present.has(ns)) deleteNamespace(ns);
  }
}
