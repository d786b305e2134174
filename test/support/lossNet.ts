/**
 * A lossy network for tests and the loss bench: one network namespace joined to the host by a
 * veth pair, with nftables inside the namespace dropping a share of the UDP packets at random
 * (`numgen random mod 100 < N drop`; there is no tc netem here) where they enter or leave the
 * namespace's end of the veth.
 *
 *   const net = createLossNet('e1', 71);       // namespace rpe1, host 10.77.71.1, inside 10.77.71.2
 *   net.setLoss(3, { direction: 'in', ports: [47000, 47999] });  // what arrives from those ports
 *   chromium.launch({ executablePath: net.chromiumWrapper(), ... }); // a browser inside it
 *   net.close();
 *
 * Servers run on the host and announce the host end (hostIp) in their ICE candidates; a browser
 * inside the namespace reaches them over the veth, so its media crosses the nftables rules, and
 * a browser on the host does not. Needs root and iproute2 + nftables.
 *
 * Every name carries the `rp` prefix (namespace, interfaces, nft table).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = (cmd: string, args: string[], input?: string): string =>
  execFileSync(cmd, args, { stdio: input === undefined ? 'pipe' : ['pipe', 'pipe', 'pipe'], input, encoding: 'utf8' });

/** Why a lossy namespace cannot be made here, or null when it can. */
export function lossNetUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root';
  for (const [cmd, arg] of [
    ['ip', '-V'],
    ['nft', '--version'],
  ] as const) {
    try {
      run(cmd, [arg]);
    } catch {
      return `needs ${cmd}`;
    }
  }
  return null;
}

export interface LossRule {
  /** 'in': packets arriving in the namespace from `ports` (sport); 'out': packets leaving it to `ports` (dport). */
  direction: 'in' | 'out';
  /** The servers' port range (ICE UDP ports, or a TCP port such as TURN's). */
  ports: [number, number];
  /** Which packets (default udp). */
  protocol?: 'udp' | 'tcp';
}

export interface LossNet {
  readonly ns: string;
  readonly hostIp: string;
  readonly nsIp: string;
  /** Drops `percent`% of the matching packets (replaces any earlier rule; 0 clears). */
  setLoss(percent: number, rule: LossRule): void;
  /**
   * Polices the UDP packets arriving in the namespace from these server ports to
   * `kbytesPerSecond` (`limit rate over N kbytes/second drop`: a policer, no queue), as a
   * capped access link towards a viewer; 0 lifts it. Replaces any loss rule.
   */
  setRateCap(kbytesPerSecond: number, ports: [number, number]): void;
  /** Drops `percent`% of every TCP and UDP packet crossing the veth, both ways: a lossy WAN hop (0 clears). */
  setHopLoss(percent: number): void;
  /** Drops every UDP packet entering or leaving the namespace (a firewall that blocks UDP), or stops. */
  blockUdp(on: boolean): void;
  /** Drops TCP to and from these server ports (say a relay's ICE-TCP port), or stops ([]). */
  blockTcpPorts(ports: readonly number[]): void;
  /** Adds address 10.77.<subnet>.<last> on the host end (a second server address); returns it. */
  addHostIp(last: number): string;
  /** Packets the rule dropped, and packets it saw. */
  counters(): { dropped: number; seen: number };
  /** A script that runs /usr/bin/chromium inside the namespace (for playwright's executablePath). */
  chromiumWrapper(): string;
  close(): void;
}

/**
 * The first 10.77.<n>.0/24 from `preferred` on (wrapping within 10..254) that no interface of
 * the host holds. A namespace left behind (a killed run, another checkout's tests) keeps its
 * subnet and its route: a second veth on the same /24 would get replies routed to the old one,
 * and the test would see a server that never answers.
 */
function freeSubnet(preferred: number): number {
  const taken = new Set<number>();
  for (const m of run('ip', ['-4', '-o', 'addr', 'show']).matchAll(/inet 10\.77\.(\d+)\./g)) taken.add(Number(m[1]));
  for (let i = 0; i < 245; i++) {
    const n = 10 + ((preferred - 10 + i) % 245);
    if (!taken.has(n)) return n;
  }
  throw new Error('no free 10.77.<n>.0/24 for a test namespace: remove the leftover rp* namespaces (ip netns list)');
}

/**
 * The flags that put a node where a namespace's clients reach it: listening and announcing ICE
 * candidates on the host end of the veth, its WebRTC ports in `icePorts` (the range the loss and
 * cap rules match; the native port is taken from it too).
 */
export function hostSideFlags(hostIp: string, icePorts: [number, number]): string[] {
  return ['--listen', `${hostIp}:0`, '--ice-address', hostIp, '--ice-port-min', String(icePorts[0]), '--ice-port-max', String(icePorts[1])];
}

/** Creates namespace rp<tag> (tag: a few letters/digits) on a free subnet 10.77.<n>.0/24, `preferredSubnet` if free. */
export function createLossNet(tag: string, preferredSubnet: number): LossNet {
  const ns = `rp${tag}`;
  const hostIf = `rp${tag}h`;
  const nsIf = `rp${tag}n`;
  const ip = (...args: string[]) => run('ip', args);
  const nft = (script: string) => run('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], script);
  let dir: string | null = null;

  const destroy = (): void => {
    try {
      ip('netns', 'del', ns);
    } catch {
      // not there
    }
    try {
      ip('link', 'del', hostIf);
    } catch {
      // went with the namespace
    }
  };
  destroy();
  const subnet = freeSubnet(preferredSubnet);
  const hostIp = `10.77.${subnet}.1`;
  const nsIp = `10.77.${subnet}.2`;
  try {
    ip('netns', 'add', ns);
    ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf);
    ip('link', 'set', nsIf, 'netns', ns);
    ip('addr', 'add', `${hostIp}/24`, 'dev', hostIf);
    ip('link', 'set', hostIf, 'up');
    ip('-n', ns, 'addr', 'add', `${nsIp}/24`, 'dev', nsIf);
    ip('-n', ns, 'link', 'set', nsIf, 'up');
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    ip('-n', ns, 'route', 'add', 'default', 'via', hostIp);
    // Device hooks on the namespace's end of the veth, not input/output: a packet dropped in
    // the output hook fails its sendto() with EPERM, and a browser then sends it again, which
    // is not loss. Egress runs after the send has succeeded, like a lossy link.
    nft(
      `table netdev rp_loss {\n chain in { type filter hook ingress device "${nsIf}" priority 0; }\n chain out { type filter hook egress device "${nsIf}" priority 0; }\n}\n`,
    );
  } catch (err) {
    destroy();
    throw err;
  }

  return {
    ns,
    hostIp,
    nsIp,
    setLoss(percent, rule) {
      const chain = rule.direction === 'in' ? 'in' : 'out';
      const match = `${rule.protocol ?? 'udp'} ${rule.direction === 'in' ? 'sport' : 'dport'} ${rule.ports[0]}-${rule.ports[1]}`;
      const lines = ['flush chain netdev rp_loss in', 'flush chain netdev rp_loss out'];
      if (percent > 0) {
        // Every matching packet is counted first, then percent% of them dropped (and counted).
        lines.push(`add rule netdev rp_loss ${chain} ${match} counter`);
        lines.push(`add rule netdev rp_loss ${chain} ${match} numgen random mod 100 < ${Math.round(percent)} counter drop`);
      }
      nft(`${lines.join('\n')}\n`);
    },
    setRateCap(kbytesPerSecond, ports) {
      const match = `udp sport ${ports[0] === ports[1] ? ports[0] : `${ports[0]}-${ports[1]}`}`;
      const lines = ['flush chain netdev rp_loss in', 'flush chain netdev rp_loss out'];
      if (kbytesPerSecond > 0) {
        // Counted first, then what is over the rate dropped (and counted): counters() reads both.
        lines.push(`add rule netdev rp_loss in ${match} counter`);
        lines.push(`add rule netdev rp_loss in ${match} limit rate over ${Math.round(kbytesPerSecond)} kbytes/second counter drop`);
      }
      nft(`${lines.join('\n')}\n`);
    },
    setHopLoss(percent) {
      const lines = ['flush chain netdev rp_loss in', 'flush chain netdev rp_loss out'];
      if (percent > 0) {
        for (const chain of ['in', 'out']) {
          lines.push(`add rule netdev rp_loss ${chain} meta l4proto { tcp, udp } counter`);
          lines.push(`add rule netdev rp_loss ${chain} meta l4proto { tcp, udp } numgen random mod 100 < ${Math.round(percent)} counter drop`);
        }
      }
      nft(`${lines.join('\n')}\n`);
    },
    blockUdp(on) {
      // A table of its own, so loss rules (rp_loss) and the firewall come and go separately.
      const lines = ['table netdev rp_block', 'delete table netdev rp_block'];
      if (on)
        lines.push(
          `table netdev rp_block {\n chain in { type filter hook ingress device "${nsIf}" priority -10; meta l4proto udp drop; }\n chain out { type filter hook egress device "${nsIf}" priority -10; meta l4proto udp drop; }\n}`,
        );
      nft(`${lines.join('\n')}\n`);
    },
    blockTcpPorts(ports) {
      const lines = ['table netdev rp_blocktcp', 'delete table netdev rp_blocktcp'];
      const set = `{ ${ports.join(', ')} }`;
      if (ports.length)
        lines.push(
          `table netdev rp_blocktcp {\n chain in { type filter hook ingress device "${nsIf}" priority -10; tcp sport ${set} drop; }\n chain out { type filter hook egress device "${nsIf}" priority -10; tcp dport ${set} drop; }\n}`,
        );
      nft(`${lines.join('\n')}\n`);
    },
    addHostIp(last) {
      const addr = `10.77.${subnet}.${last}`;
      ip('addr', 'add', `${addr}/24`, 'dev', hostIf);
      return addr;
    },
    counters() {
      const text = run('ip', ['netns', 'exec', ns, 'nft', 'list', 'table', 'netdev', 'rp_loss']);
      const counts = [...text.matchAll(/counter packets (\d+)/g)].map((m) => Number(m[1]));
      return { seen: counts[0] ?? 0, dropped: counts[1] ?? 0 };
    },
    chromiumWrapper() {
      if (!dir) {
        dir = mkdtempSync(join(tmpdir(), 'rp-chromium-'));
        const path = join(dir, 'chromium');
        writeFileSync(path, `#!/bin/sh\nexec ip netns exec ${ns} /usr/bin/chromium "$@"\n`);
        chmodSync(path, 0o755);
      }
      return join(dir, 'chromium');
    },
    close() {
      destroy();
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = null;
    },
  };
}
