/**
 * `--egress-drop`: the fan-out server's media to its viewers is dropped at `lo`'s egress hook
 * (nftables, netdev family), after the server's whole send path (SRTP, the UDP stack, the
 * qdisc) and just before the loopback device would hand it to the receive path.
 *
 * Why: on loopback a datagram's receive path (IP input, the UDP socket lookup, the enqueue on
 * the viewer's socket) runs in the softirq the sender's own send call raises, so the kernel
 * charges the viewers' receive work to the server being measured. `perf record -e cpu-clock -a
 * -g` at 1,300 viewers (2026-12-07 18:07 UTC) put 32% of the native data threads' samples under
 * `net_rx_action`. With a NIC the viewers' machines pay that. The drop also leaves the sinks
 * with nothing to read, so on a 2-CPU machine both CPUs are the server's, and one data thread
 * can be set against two (issue 19's ≥ 1.7×).
 *
 * The bench lets one RTP packet in 16 through at random (`passOneIn`), so every viewer still
 * joins on an authenticated packet, shows as served, and its RTP sequence span still says what
 * it should have received; what the rule dropped counts as sent (its counters, RTP and RTCP
 * apart, RFC 5761 §4: a second byte whose low 7 bits are 64–95 is RTCP). STUN (consent, RFC
 * 7675) and DTLS pass untouched. Linux ≥ 5.16 (the egress hook), nft, root; the table is
 * removed at exit.
 */
import { execFileSync } from 'node:child_process';

const TABLE = 'canopy_bench_egress';

export interface EgressCounts {
  rtp: number;
  rtcp: number;
}

export interface DropSpec {
  /** Source ports of the server's media to its viewers: [first, last]. */
  sports?: [number, number];
  /** Or destination ports: [first, last] (the floor micro-bench's receiving socket). */
  dports?: [number, number];
  /** Destination ports whose datagrams must pass (e.g. Janus's own RTP input from the publisher). */
  exceptDports?: number[];
  /** Let one RTP packet in this many through, at random (nft `numgen random`); default: none. */
  passOneIn?: number;
}

function nft(args: string[], input?: string): string {
  return execFileSync('nft', args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** The table, its chain on lo's egress hook, and these rules (nft's syntax: one per line). */
function table(rules: string): string {
  return `table netdev ${TABLE} {
  chain out {
    type filter hook egress device lo priority 0; policy accept;${rules}
  }
}
`;
}

function removeTable(): void {
  try {
    nft(['delete', 'table', 'netdev', TABLE]);
  } catch {
    // not there
  }
}

/** Whether the drop can be installed here; returns why not, or null. */
export function egressDropUnavailable(): string | null {
  try {
    removeTable();
    nft(['-f', '-'], table(''));
    removeTable();
    return null;
  } catch (err) {
    return `nft's egress hook on lo is not available (${String((err as Error).message).split('\n')[0]})`;
  }
}

let exitHooked = false;

/** Drops what the spec matches until remove(); counters start at zero. */
export class EgressDrop {
  private removed = false;

  private constructor() {}

  static install(spec: DropSpec): EgressDrop {
    removeTable();
    const range = ([a, b]: [number, number]) => (a === b ? `${a}` : `${a}-${b}`);
    const ports = [spec.sports ? `udp sport ${range(spec.sports)}` : '', spec.dports ? `udp dport ${range(spec.dports)}` : ''].join(' ').trim();
    if (!ports) throw new Error('EgressDrop: sports or dports');
    const except = spec.exceptDports?.length ? ` udp dport != { ${spec.exceptDports.join(', ')} }` : '';
    const match = `${ports}${except} @th,64,2 2`;
    // RTP first: nearly every datagram stops at the first rule (this chain's cost is charged
    // to the server; perf put nft_do_chain at 15% of the data threads with RTCP first).
    nft(
      ['-f', '-'],
      table(`
    ${match} @th,73,7 != 64-95${spec.passOneIn ? ` numgen random mod ${spec.passOneIn} != 0` : ''} counter drop comment "rtp"
    ${match} @th,73,7 64-95 counter drop comment "rtcp"`),
    );
    if (!exitHooked) {
      exitHooked = true;
      process.once('exit', removeTable);
    }
    return new EgressDrop();
  }

  counts(): EgressCounts {
    const out: EgressCounts = { rtp: 0, rtcp: 0 };
    if (this.removed) return out;
    const j = JSON.parse(nft(['-j', 'list', 'table', 'netdev', TABLE])) as { nftables: Array<Record<string, unknown>> };
    for (const item of j.nftables) {
      const rule = item.rule as { comment?: string; expr?: Array<Record<string, unknown>> } | undefined;
      if (!rule || (rule.comment !== 'rtp' && rule.comment !== 'rtcp')) continue;
      const c = rule.expr?.find((e) => 'counter' in e)?.counter as { packets?: number } | undefined;
      out[rule.comment] = c?.packets ?? 0;
    }
    return out;
  }

  remove(): void {
    if (this.removed) return;
    this.removed = true;
    removeTable();
  }
}
