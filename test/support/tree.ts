import { randomBytes } from 'node:crypto';
import { testEngineFlags } from './engine.js';
import { loadOriginConfig } from '../../origin/config.js';
import { OriginServer } from '../../origin/OriginServer.js';
import { loadRelayConfig } from '../../relay/config.js';
import { RelayServer } from '../../relay/RelayServer.js';
import { silentLogger, createLogger, type Logger } from '../../src/log.js';
import { sleep } from './wait.js';

export interface TreeOptions {
  level1: number;
  /** Level-2 relays under each level-1 relay: one count for all, or one per level-1 relay. */
  level2PerLevel1: number | readonly number[];
  serveViewers?: boolean;
  /** Extra flags for every node, e.g. ['--idle-close-after', '0']. */
  flags?: string[];
  originFlags?: string[];
  relayFlags?: string[];
  /** Flags for the level-2 relays only (after relayFlags), e.g. a viewer engine on a fixed port. */
  level2Flags?: string[];
  logger?: Logger;
}

export interface Tree {
  /** The cluster secret every node of this tree shares (null with --insecure-no-cluster-secret). */
  secret: string | null;
  origin: OriginServer;
  relays: RelayServer[];
  close(): Promise<void>;
  /** Rejects unless every registry of every node is (or within 3 s becomes) empty. */
  assertEmpty(): Promise<void>;
  registries(): Record<string, Record<string, number>>;
}

function testLogger(): Logger {
  return process.env.CANOPY_TEST_LOG ? createLogger({ level: process.env.CANOPY_TEST_LOG as 'debug' }) : silentLogger();
}

/** Starts an origin and relays in this process, on 127.0.0.1 and ephemeral ports. */
export async function startTree(opts: TreeOptions): Promise<Tree> {
  const logger = opts.logger ?? testLogger();
  // Every test client comes from 127.0.0.1: the per-address rate limit would throttle test
  // bursts, so it is off unless a test sets it (the admission tests do).
  const base = ['--listen', '127.0.0.1:0', '--ice-address', '127.0.0.1', '--max-new-sessions-per-ip', '0', ...testEngineFlags(), ...(opts.flags ?? [])];
  // Links need a cluster secret: each tree gets its own, through the environment as a
  // deployment would pass it (unless a test gives one, or runs without).
  const all = [...base, ...(opts.originFlags ?? []), ...(opts.relayFlags ?? [])];
  const own = all.includes('--insecure-no-cluster-secret') || all.some((f) => f.startsWith('--cluster-secret'));
  const secret = own ? null : randomBytes(16).toString('hex');
  const env = secret ? { CANOPY_CLUSTER_SECRET: secret } : {};
  // Trees on a veth address (loss tests) are off loopback: their origin must say outright that
  // anyone may publish, as an operator would have to.
  const offLoopback = !/^(127\.|\[?::1)/.test(base[base.lastIndexOf('--listen') + 1] ?? '127.0.0.1');
  const anonymous =
    offLoopback && !(opts.originFlags ?? []).some((f) => f.startsWith('--publish') || f.startsWith('--jwt') || f.startsWith('--auth'))
      ? ['--allow-anonymous-publish']
      : [];
  const origin = new OriginServer(
    loadOriginConfig(['--id', 'origin', ...base, ...anonymous, ...(opts.serveViewers ? ['--serve-viewers'] : []), ...(opts.originFlags ?? [])], env),
    logger,
  );
  await origin.listen();
  const relays: RelayServer[] = [];
  const startRelay = async (id: string, parent: string, extra: string[] = []): Promise<RelayServer> => {
    const r = new RelayServer(loadRelayConfig(['--id', id, '--parent', parent, ...base, ...(opts.relayFlags ?? []), ...extra], env), logger);
    await r.listen();
    await r.whenLinked();
    relays.push(r);
    return r;
  };
  for (let i = 0; i < opts.level1; i++) {
    const l1 = await startRelay(`relay-${String.fromCharCode(97 + i)}`, origin.linkUrl);
    const under = typeof opts.level2PerLevel1 === 'number' ? opts.level2PerLevel1 : (opts.level2PerLevel1[i] ?? 0);
    for (let j = 0; j < under; j++) await startRelay(`${l1.config.id}${j + 1}`, l1.linkUrl, opts.level2Flags);
  }
  const registries = (): Record<string, Record<string, number>> => {
    const out: Record<string, Record<string, number>> = { origin: origin.registries() };
    for (const r of relays) out[r.config.id] = r.registries();
    return out;
  };
  return {
    secret: secret ?? origin.config.clusterSecret ?? null,
    origin,
    relays,
    registries,
    async close() {
      for (const r of [...relays].reverse()) await r.close('test done');
      await origin.close('test done');
    },
    async assertEmpty() {
      // Native tracks report closed asynchronously after their PeerConnection closes.
      const deadline = Date.now() + 3000;
      let busy: string[] = [];
      do {
        busy = Object.entries(registries()).flatMap(([node, regs]) =>
          Object.entries(regs)
            .filter(([, v]) => v !== 0)
            .map(([k, v]) => `${node}.${k}=${v}`),
        );
        if (busy.length === 0) return;
        await sleep(20);
      } while (Date.now() < deadline);
      throw new Error(`registries not empty: ${busy.join(', ')}`);
    },
  };
}

/** The layers the origin sends down its link to the level-1 relay, and the packets sent per layer. */
export function originLink(tree: Tree): { layers: string[]; packets: Record<string, number> } | null {
  for (const d of tree.origin.node.downlinks)
    for (const c of d.copies.values()) {
      const s = c.describe();
      return { layers: s.layers as string[], packets: s.layerPackets as Record<string, number> };
    }
  return null;
}

/** Packets per layer the origin sent down that link over the next `ms` (0 for a layer it did not send). */
export async function originLinkSent(tree: Tree, ms: number): Promise<Record<'high' | 'mid' | 'low', number>> {
  const before = originLink(tree)?.packets ?? {};
  await new Promise((r) => setTimeout(r, ms));
  const after = originLink(tree)?.packets ?? {};
  const delta = (l: string): number => (after[l] ?? 0) - (before[l] ?? 0);
  return { high: delta('high'), mid: delta('mid'), low: delta('low') };
}
