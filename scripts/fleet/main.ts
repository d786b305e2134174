/**
 * `npm run fleet [-- --shape 3,3,2] [--steps 10,50,100,200,300] [--loss 3 --loss-on viewers] [--out FILE]`
 *
 * Canopy's fleet simulation (issue 14): an origin and 30 relays in three levels, each node in
 * its own network namespace with its own address, each group of siblings on its own LAN (a
 * bridge), LANs joined by a routed fabric (topology.ts). A publisher in a studio namespace
 * beside the origin; lightweight viewers (the bench's viewer workers) in a viewer namespace,
 * routed to the leaves. It measures the tree idle, cold joins at each level, then a viewer ramp
 * spread over the leaves, and writes a JSON report and a summary table. Needs root; skips
 * otherwise. Every namespace it made is removed on exit, on Ctrl-C and on failure.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { fixturePath } from '../../test/support/fixture.js';
import { ViewerPool } from '../bench/pool.js';
import { CanopyNode, killAll, machineCpu, metric, PublisherWorker, sleep, ViewerWorker } from '../bench/procs.js';
import { nowMs, type JoinRecord, type WorkerCounters } from '../bench/protocol.js';
import { percentile, round } from '../bench/stats.js';
import { FleetNetwork, fleetPrerequisites, removeStale } from './network.js';
import { byLevel, egressGrowth, linkSummary, spread, summaryTable, type LinkRecord, type RampStep } from './report.js';
import { ancestors, leaves, planFleet, relaysAt, viewerOrder, type FleetNode, type FleetPlan } from './topology.js';

const STREAM = 'fleet';
const PREFIX = 'fl';
const PORT = 8000;

const { values: args } = parseArgs({
  options: {
    shape: { type: 'string', default: '3,3,2' },
    steps: { type: 'string' },
    window: { type: 'string', default: '8' },
    cold: { type: 'string', default: '4' },
    streams: { type: 'string', default: '8' },
    loss: { type: 'string' },
    'loss-on': { type: 'string', default: 'viewers' },
    'per-worker': { type: 'string', default: '100' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(`usage: npm run fleet -- [options]   (as root)

  --shape LIST      children per node at each level (default 3,3,2: 3 + 9 + 18 = 30 relays)
  --steps LIST      viewer counts of the ramp (default 10,<one per leaf>,50,100,200,300)
  --window SECONDS  measuring window of each ramp step (default 8; the idle phase takes 20 s)
  --cold N          cold joins measured at each level (default 4)
  --streams K       streams through one branch, to measure what one more stream costs a relay
                    (default 8; 1 skips it)
  --loss PCT        random loss (nftables, in the fabric) on packets into and out of some LANs
  --loss-on LIST    which LANs: viewers, level1, level2, level3 (the LANs of that level's relays),
                    or LAN names such as sib-r1 (default viewers)
  --per-worker N    viewers per viewer process (default 100)
  --out FILE        write every figure as JSON`);
  process.exit(0);
}

const t0 = Date.now();
function log(text: string): void {
  const s = Math.floor((Date.now() - t0) / 1000);
  process.stdout.write(`[${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${text}\n`);
}
const notes: string[] = [];
function note(text: string): void {
  notes.push(text);
  log(`note: ${text}`);
}

const why = fleetPrerequisites();
if (why) {
  console.log(`fleet: skipped: ${why}. Run it as root on Linux: sudo npm run fleet`);
  process.exit(0);
}

const fanout = args.shape!.split(',').map(Number);
const plan = planFleet({ fanout, prefix: PREFIX });
const WINDOW_S = Number(args.window);
const COLD = Number(args.cold);
const leafCount = leaves(plan).length;
const STEPS = [...new Set((args.steps ? args.steps.split(',').map(Number) : [10, leafCount, 50, 100, 200, 300]).filter((n) => n > 0))].sort((a, b) => a - b);
const STREAMS = Number(args.streams);
/**
 * Loss at the viewers (%) that ends the ramp: past it the machine measures its own overload.
 * With --loss, on top of what the fabric drops (a packet can cross two lossy LANs).
 */
const LOSS_LIMIT_PCT = 1 + (args.loss ? 2 * Number(args.loss) : 0);
const secret = randomBytes(16).toString('hex');

// ---------------------------------------------------------------- cleanup

const net = new FleetNetwork(plan);
let cleaned = false;
function cleanup(): void {
  if (cleaned) return;
  cleaned = true;
  killAll();
  net.down();
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    process.stdout.write(`\n${signal}: stopping, removing the fleet's namespaces\n`);
    cleanup();
    process.exit(130);
  });
}

// ---------------------------------------------------------------- nodes

const nodes = new Map<string, CanopyNode>();
const relayNodes = () => plan.nodes.filter((n) => n.role === 'relay');
const node = (id: string) => nodes.get(id)!;

/**
 * The simulated network is closed: only the studio namespace reaches the origin's WHIP, and
 * the bench's publisher sends no token. An origin off loopback must say so explicitly.
 */
const ORIGIN_FLAGS = ['--allow-anonymous-publish'];

async function startNodes(): Promise<number> {
  const started = Date.now();
  const o = plan.nodes.find((n) => n.role === 'origin')!;
  nodes.set(
    o.id,
    await CanopyNode.start({
      id: o.id,
      role: 'origin',
      host: o.ip,
      port: PORT,
      netns: o.ns,
      flags: ['--cluster-secret', secret, ...ORIGIN_FLAGS],
      readyTimeoutMs: 60_000,
    }),
  );
  // Level by level (a relay needs its parent up), a few at a time: each start compiles
  // TypeScript, and the machine has few cores.
  for (let level = 1; level <= plan.fanout.length; level++) {
    const todo = relaysAt(plan, level);
    const concurrency = 4;
    for (let i = 0; i < todo.length; i += concurrency) {
      await Promise.all(
        todo.slice(i, i + concurrency).map(async (r) => {
          const n = await CanopyNode.start({
            id: r.id,
            role: 'relay',
            host: r.ip,
            port: PORT,
            netns: r.ns,
            parent: node(r.parent!),
            // --idle-close-after 1s: an idle branch lets go of the stream quickly, so cold joins can repeat.
            flags: ['--cluster-secret', secret, '--idle-close-after', '1s'],
            readyTimeoutMs: 90_000,
          });
          nodes.set(r.id, n);
        }),
      );
      log(`  started ${nodes.size - 1}/${relayNodes().length} relays`);
    }
  }
  return (Date.now() - started) / 1000;
}

interface NodeSnap {
  cpu: number;
  rss: number;
  metrics: Map<string, number>;
}

async function snapAll(): Promise<{
  at: number;
  nodes: Map<string, NodeSnap>;
  mcast: Map<string, { packets: number; bytes: number }>;
  machine: { busy: number; total: number };
}> {
  const entries = await Promise.all([...nodes].map(async ([id, n]) => [id, { cpu: n.cpu(), rss: n.rss(), metrics: await n.metrics() }] as const));
  return { at: nowMs(), nodes: new Map(entries), mcast: net.multicastCounters(), machine: machineCpu() };
}

type Snap = Awaited<ReturnType<typeof snapAll>>;

const delta = (a: Snap, b: Snap, id: string, name: string) => metric(b.nodes.get(id)!.metrics, name) - metric(a.nodes.get(id)!.metrics, name);
const controlFrames = (a: Snap, b: Snap, id: string) =>
  delta(a, b, id, 'canopy_link_control_frames_received_total') + delta(a, b, id, 'canopy_link_control_frames_sent_total');

function mcastDelta(a: Snap, b: Snap): Record<string, { datagrams: number; bytes: number; per_s: number }> {
  const seconds = (b.at - a.at) / 1000;
  const out: Record<string, { datagrams: number; bytes: number; per_s: number }> = {};
  for (const lan of plan.lans) {
    const x = a.mcast.get(lan.name) ?? { packets: 0, bytes: 0 };
    const y = b.mcast.get(lan.name) ?? { packets: 0, bytes: 0 };
    out[lan.name] = { datagrams: y.packets - x.packets, bytes: y.bytes - x.bytes, per_s: round((y.packets - x.packets) / seconds, 2)! };
  }
  return out;
}

async function carrying(): Promise<string[]> {
  const states = await Promise.all(relayNodes().map(async (r) => [r.id, await node(r.id).state()] as const));
  return states.filter(([, s]) => s.streams.some((x) => x.name === STREAM)).map(([id]) => id);
}

async function waitIdle(timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await carrying()).length === 0) return true;
    if (Date.now() > deadline) return false;
    await sleep(250);
  }
}

// ---------------------------------------------------------------- phases

/** Long enough for several heartbeats (5 s) on every link. */
const IDLE_WINDOW_S = 20;

async function idlePhase(): Promise<Record<string, unknown>> {
  log(`idle: ${IDLE_WINDOW_S} s with no stream`);
  const a = await snapAll();
  await sleep(IDLE_WINDOW_S * 1000);
  const b = await snapAll();
  const seconds = (b.at - a.at) / 1000;
  const relays = relayNodes();
  const cpuEach = relays.map((r) => (b.nodes.get(r.id)!.cpu - a.nodes.get(r.id)!.cpu) / seconds);
  const out = {
    window_s: round(seconds, 1),
    origin_control_frames_per_s: round(controlFrames(a, b, 'origin') / seconds, 2),
    relay_cpu_cores_each: spread(cpuEach, 4),
    relays_cpu_cores_total: round(
      cpuEach.reduce((x, y) => x + y, 0),
      3,
    ),
    origin_cpu_cores: round((b.nodes.get('origin')!.cpu - a.nodes.get('origin')!.cpu) / seconds, 4),
    multicast: mcastDelta(a, b),
    rss_mb: byLevel(plan.nodes.map((n) => ({ level: n.level, value: b.nodes.get(n.id)!.rss }))),
  };
  log(
    `  origin ${out.origin_control_frames_per_s} control frames/s; an idle relay uses ${out.relay_cpu_cores_each.median} cores; RSS ${JSON.stringify(out.rss_mb)}`,
  );
  return out;
}

function joinStats(recs: JoinRecord[]) {
  const ok = recs.filter((r) => r.ok && r.firstPacketAt !== undefined);
  const fp = ok.map((r) => r.firstPacketAt! - r.startedAt);
  const kf = ok.filter((r) => r.firstKeyframeAt !== undefined).map((r) => r.firstKeyframeAt! - r.startedAt);
  return {
    first_packet: { p50: round(percentile(fp, 50), 1), p95: round(percentile(fp, 95), 1) },
    first_keyframe: { p50: round(percentile(kf, 50), 1), p95: round(percentile(kf, 95), 1) },
    samples: recs.length,
    failures: recs.length - ok.length,
  };
}

async function coldPhase(pool: ViewerPool): Promise<{ joins: Record<string, unknown>; multicast: Record<string, unknown> }> {
  log(`cold joins: ${COLD} at each level, the whole tree idle before each`);
  const a = await snapAll();
  const joins: Record<string, unknown> = {};
  for (let level = 1; level <= plan.fanout.length; level++) {
    const targets = relaysAt(plan, level);
    const recs: JoinRecord[] = [];
    let verified = 0;
    const paths: string[] = [];
    for (let i = 0; i < COLD; i++) {
      const r = targets[(i * 7) % targets.length]!;
      if (await waitIdle()) verified++;
      else note(`cold join ${i + 1} at level ${level}: the tree did not go idle`);
      // A random phase against the publisher's 1 s keyframe interval.
      await sleep(Math.random() * 1000);
      const [id] = await pool.add([{ mode: 'whep', url: node(r.id).whep(STREAM), tag: `cold-${r.id}` }]);
      const [rec] = await pool.waitJoined([id!], 30_000);
      recs.push(rec!);
      const up = (await node(r.id).state()).streams.find((s) => s.name === STREAM)?.upstream;
      paths.push(`${r.id}←${up?.kind ?? '?'} ${up?.peer ?? '?'}`);
      await pool.close([id!]);
    }
    joins[`level${level}`] = { ...joinStats(recs), verified_cold: verified, pulls: paths };
    const s = joins[`level${level}`] as ReturnType<typeof joinStats>;
    log(`  level ${level}: first packet p50 ${s.first_packet.p50} ms, keyframe p50 ${s.first_keyframe.p50} ms (${recs.length} joins)`);
  }
  await waitIdle();
  const b = await snapAll();
  return { joins, multicast: mcastDelta(a, b) };
}

async function rampPhase(pool: ViewerPool): Promise<Record<string, unknown>> {
  log(`ramp: ${STEPS.join(', ')} viewers over ${leafCount} leaves`);
  await waitIdle();
  const order = viewerOrder(plan);
  const r0 = await snapAll();
  // The most upstream subscriptions each relay held at any snapshot of the ramp (the gauge
  // canopy_upstream_subscriptions): one stream, so 1 at most. The counter of pulls opened also
  // counts a re-pull after a pull ended (a leaf whose viewers all left for over 1 s).
  const openMax = new Map<string, number>();
  const noteOpen = (s: Snap): void => {
    for (const r of relayNodes()) openMax.set(r.id, Math.max(openMax.get(r.id) ?? 0, metric(s.nodes.get(r.id)!.metrics, 'canopy_upstream_subscriptions')));
  };
  const steps: RampStep[] = [];
  let oneStream: Record<string, unknown> | null = null;
  let current = 0;
  let failures = 0;
  for (const target of STEPS) {
    const specs = Array.from({ length: target - current }, (_, i) => {
      const leaf = order[(current + i) % order.length]!;
      return { mode: 'whep' as const, url: node(leaf.id).whep(STREAM), tag: leaf.id };
    });
    const ids = await pool.add(specs);
    const recs = await pool.waitJoined(ids, 60_000 + ids.length * 200);
    failures += recs.filter((r) => !r.ok).length;
    current = target;
    await sleep(2000);
    let a: Snap, b: Snap, va: WorkerCounters, vb: WorkerCounters, ca: number, cb: number;
    try {
      a = await snapAll();
      noteOpen(a);
      va = await pool.snap();
      ca = pool.cpu();
      await sleep(WINDOW_S * 1000);
      b = await snapAll();
      noteOpen(b);
      vb = await pool.snap();
      cb = pool.cpu();
    } catch (err) {
      note(`ramp: measuring at ${target} viewers failed (${(err as Error).message.split('\n')[0]}): the machine is overloaded; stopping`);
      break;
    }
    const seconds = (b.at - a.at) / 1000;
    const egress = delta(a, b, 'origin', 'canopy_bytes_out_total') / seconds;
    const ingress = delta(a, b, 'origin', 'canopy_bytes_in_total') / seconds;
    const carry = await carrying();
    const expected = vb.expected - va.expected;
    const relaysCpu = relayNodes().reduce((acc, r) => acc + (b.nodes.get(r.id)!.cpu - a.nodes.get(r.id)!.cpu), 0) / seconds;
    const leafSessions = leaves(plan).reduce((acc, l) => acc + metric(b.nodes.get(l.id)!.metrics, 'canopy_viewers'), 0);
    const originIn = delta(a, b, 'origin', 'canopy_packets_in_total');
    const step: RampStep = {
      viewers: target,
      viewers_connected: vb.connected,
      leaf_sessions: leafSessions,
      viewers_receiving: originIn > 0 ? round(expected / originIn, 1) : null,
      join_failures: failures,
      loss_pct: expected > 0 ? round(Math.max(0, (1 - (vb.packets - va.packets) / expected) * 100), 3) : null,
      origin_egress_bytes_per_s: Math.round(egress),
      origin_copies: ingress > 0 ? round(egress / ingress, 2) : null,
      origin_control_frames_per_s: round(controlFrames(a, b, 'origin') / seconds, 2)!,
      relays_carrying: carry.length,
      relays_cpu_cores: round(relaysCpu, 3)!,
      relay_cpu_cores_by_level: byLevel(
        relayNodes().map((r) => ({ level: r.level, value: (b.nodes.get(r.id)!.cpu - a.nodes.get(r.id)!.cpu) / seconds })),
        4,
      ),
      viewers_per_leaf: spread(
        leaves(plan).map((l) => metric(b.nodes.get(l.id)!.metrics, 'canopy_viewers')),
        0,
      ),
      viewer_processes_cpu_cores: round((cb - ca) / seconds, 3)!,
      machine_busy_cores: round(((b.machine.busy - a.machine.busy) / Math.max(1, b.machine.total - a.machine.total)) * cpus().length, 2)!,
    };
    steps.push(step);
    log(
      `  ${String(step.viewers_connected).padStart(4)} viewers (${leafSessions} sessions at the leaves, packets for ${step.viewers_receiving}): origin egress ${(egress / 1000).toFixed(0)} kB/s (${step.origin_copies} copies), ${step.origin_control_frames_per_s} control frames/s, ` +
        `${carry.length} relays carry it, relays ${(relaysCpu * 100).toFixed(0)}% CPU, loss ${step.loss_pct}%, machine ${(step.machine_busy_cores * 100).toFixed(0)}%`,
    );
    // Every leaf has a viewer: every relay carries exactly one stream.
    if (target === leafCount || (oneStream === null && carry.length === relayNodes().length)) {
      const states = await Promise.all(relayNodes().map(async (r) => [r.id, await node(r.id).state()] as const));
      oneStream = {
        viewers: vb.connected,
        relays_carrying: carry.length,
        rss_mb: byLevel(plan.nodes.map((n) => ({ level: n.level, value: b.nodes.get(n.id)!.rss }))),
        buffer_bytes: byLevel(
          states.map(([id, s]) => ({ level: plan.nodes.find((n) => n.id === id)!.level, value: s.streams.find((x) => x.name === STREAM)?.buffer?.bytes ?? 0 })),
          0,
        ),
      };
    }
    // A viewer that receives nothing shows no loss (its sequence span does not grow): count
    // the sessions the leaves hold and the viewers the received packets stand for as well.
    const served = Math.min(step.viewers_connected, step.leaf_sessions, step.viewers_receiving ?? 0);
    if (served < target * 0.95) {
      note(
        `ramp: at ${target} viewers only ${step.viewers_connected} connected, ${step.leaf_sessions} sessions at the leaves, packets for ${step.viewers_receiving}; stopping`,
      );
      break;
    }
    if (step.loss_pct === null || step.loss_pct >= LOSS_LIMIT_PCT) {
      note(`ramp: loss ${step.loss_pct}% at ${step.viewers_connected} viewers (machine ${step.machine_busy_cores} of ${cpus().length} cores busy); stopping`);
      break;
    }
  }
  // Where each relay pulls from, and how many subscriptions it opened during the ramp.
  const end = await snapAll();
  noteOpen(end);
  const states = await Promise.all(relayNodes().map(async (r) => [r, await node(r.id).state()] as const));
  // Relays that carry the stream at the end of the ramp (all of them once every leaf has a viewer).
  const links: LinkRecord[] = states.flatMap(([r, s]) => {
    const up = s.streams.find((x) => x.name === STREAM)?.upstream;
    return up
      ? [
          {
            from: up.peer,
            to: r.id,
            kind: up.kind,
            subscriptions: delta(r0, end, r.id, 'canopy_upstream_subscriptions_opened_total'),
            ended: delta(r0, end, r.id, 'canopy_upstream_subscriptions_closed_total'),
            open_max: openMax.get(r.id) ?? 0,
          },
        ]
      : [];
  });
  const siblings: Record<string, { hits: number; queries: number; misses: number; pulls: number }> = {};
  for (let level = 1; level <= plan.fanout.length; level++) {
    const at = relaysAt(plan, level);
    const sum = (name: string) => at.reduce((acc, r) => acc + delta(r0, end, r.id, name), 0);
    siblings[`level${level}`] = {
      hits: sum('canopy_sibling_hits_total'),
      queries: sum('canopy_sibling_queries_total'),
      misses: sum('canopy_sibling_misses_total'),
      pulls: sum('canopy_sibling_pulls_total'),
    };
  }
  return { steps, links, one_stream: oneStream, siblings, multicast: mcastDelta(r0, end) };
}

/**
 * What one more stream costs a relay, and one more copy of it on a link. One branch (a leaf and
 * its ancestors) carries 1, then K streams, each watched by one viewer at the leaf: the
 * difference over K - 1 is the cost of a stream at each level (at the origin it includes
 * ingesting it from its publisher). Then the same K streams are also watched under the other
 * level-1 relays: a relay that already carried them now sends more copies (to children or
 * siblings), and its extra CPU over its extra copies is the cost of one link copy.
 */
async function streamsPhase(pool: ViewerPool, publishers: PublisherWorker[]): Promise<Record<string, unknown>> {
  const order = viewerOrder(plan);
  const leaf = order[0]!;
  const path = [leaf, ...ancestors(plan, leaf.id)];
  const others = order.slice(1, plan.fanout[0]!);
  log(`streams: 1 then ${STREAMS} streams through ${path.map((n) => n.id).join(' ← ')}, then also at ${others.map((n) => n.id).join(', ')}`);
  await waitIdle();
  const names = Array.from({ length: STREAMS }, (_, i) => (i === 0 ? STREAM : `${STREAM}-${i + 1}`));
  for (const name of names.slice(1)) {
    publishers.push(
      await PublisherWorker.start(
        `publisher-${name}`,
        { mode: 'whip', url: `${node('origin').url}/whip/${name}`, fixture: fixturePath('vp8-opus-600k.rtp') },
        { netns: plan.studio.ns, env: { CANOPY_CLIENT_BIND_ADDRESS: plan.studio.ip } },
      ),
    );
  }
  const all = plan.nodes;
  /** Adds viewers (leaf, stream), then measures every node: CPU, RSS, copies it sends on links. */
  const measure = async (add: Array<[FleetNode, string]>) => {
    const ids = await pool.add(add.map(([l, name]) => ({ mode: 'whep' as const, url: node(l.id).whep(name), tag: `streams-${name}` })));
    await pool.waitJoined(ids, 60_000);
    await sleep(2000);
    const a = await snapAll();
    const va = await pool.snap();
    await sleep(WINDOW_S * 1000);
    const b = await snapAll();
    const vb = await pool.snap();
    const states = await Promise.all(all.map(async (n) => [n.id, await node(n.id).state()] as const));
    const seconds = (b.at - a.at) / 1000;
    const expected = vb.expected - va.expected;
    return {
      loss: expected > 0 ? Math.max(0, (1 - (vb.packets - va.packets) / expected) * 100) : null,
      cpu: new Map(all.map((n) => [n.id, (b.nodes.get(n.id)!.cpu - a.nodes.get(n.id)!.cpu) / seconds])),
      rss: new Map(all.map((n) => [n.id, b.nodes.get(n.id)!.rss])),
      streams: new Map(states.map(([id, st]) => [id, st.streams.filter((x) => names.includes(x.name)).length])),
      copies: new Map(states.map(([id, st]) => [id, st.streams.filter((x) => names.includes(x.name)).reduce((acc, x) => acc + x.children, 0)])),
      egress: delta(a, b, 'origin', 'canopy_bytes_out_total') / seconds,
    };
  };
  const one = await measure([[leaf, names[0]!]]);
  const many = await measure(names.slice(1).map((n) => [leaf, n]));
  const wide = await measure(others.flatMap((l) => names.map((n) => [l, n] as [FleetNode, string])));
  await pool.closeAll();
  const k = STREAMS - 1;
  // Nodes that carried every stream in both runs and sent at least one more copy of each.
  const copyCost = all
    .filter((n) => many.streams.get(n.id) === STREAMS && wide.streams.get(n.id) === STREAMS && wide.copies.get(n.id)! - many.copies.get(n.id)! >= STREAMS)
    .map((n) => {
      const extra = wide.copies.get(n.id)! - many.copies.get(n.id)!;
      return {
        id: n.id,
        level: n.level,
        extra_copies: extra,
        cpu_cores_before: round(many.cpu.get(n.id)!, 4),
        cpu_cores_after: round(wide.cpu.get(n.id)!, 4),
        cpu_cores_per_copy: round((wide.cpu.get(n.id)! - many.cpu.get(n.id)!) / extra, 4),
      };
    });
  const out = {
    streams: STREAMS,
    branch: path.map((n) => n.id),
    also_at: others.map((n) => n.id),
    window_s: WINDOW_S,
    loss_pct: { one: round(one.loss, 3), all: round(many.loss, 3), wide: round(wide.loss, 3) },
    origin_egress_bytes_per_s: { one: Math.round(one.egress), all: Math.round(many.egress), wide: Math.round(wide.egress) },
    nodes: path.map((n) => ({
      id: n.id,
      level: n.level,
      cpu_cores_one: round(one.cpu.get(n.id)!, 4),
      cpu_cores_all: round(many.cpu.get(n.id)!, 4),
      cpu_cores_per_stream: round((many.cpu.get(n.id)! - one.cpu.get(n.id)!) / k, 4),
      rss_mb_one: round(one.rss.get(n.id)!, 1),
      rss_mb_all: round(many.rss.get(n.id)!, 1),
      rss_mb_per_stream: round((many.rss.get(n.id)! - one.rss.get(n.id)!) / k, 2),
    })),
    link_copy_cost: copyCost,
    definition:
      'cpu_cores_per_stream = (CPU with all streams − CPU with one) / (streams − 1) over the same window length, on the branch that carries them (one child link each; at the leaf one viewer each; at the origin also the ingest from the publisher); cpu_cores_per_copy = extra CPU / extra link copies (children or siblings served, from /api/state) of a node that carried every stream in both runs',
  };
  for (const n of out.nodes)
    log(
      `  ${n.id} (level ${n.level}): ${n.cpu_cores_one} → ${n.cpu_cores_all} cores, ${n.cpu_cores_per_stream} per stream; RSS ${n.rss_mb_one} → ${n.rss_mb_all} MB`,
    );
  for (const c of copyCost)
    log(`  ${c.id}: ${c.extra_copies} more link copies, ${c.cpu_cores_before} → ${c.cpu_cores_after} cores, ${c.cpu_cores_per_copy} per copy`);
  return out;
}

// ---------------------------------------------------------------- main

function machineInfo(): Record<string, unknown> {
  let model = cpus()[0]?.model ?? 'unknown';
  try {
    model = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? model;
  } catch {
    // keep
  }
  return {
    cpus: cpus().length,
    cpu_model: model,
    memory_gb: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    load_average_at_start: loadavg().map((v) => round(v, 2)),
  };
}

function describeTopology(p: FleetPlan): Record<string, unknown> {
  return {
    relays: p.nodes.length - 1,
    levels: p.fanout.length,
    fanout: p.fanout,
    routing: `each LAN is a bridge in namespace ${p.fabricNs}, which holds every LAN's gateway (x.y.K.1) and forwards between them; multicast is not routed`,
    lans: p.lans.map((l) => ({
      name: l.name,
      bridge: l.bridge,
      subnet: l.subnet,
      hosts: [...p.nodes, p.studio, p.viewers].filter((h) => h.lan === l.name).map((h) => ('id' in h ? (h as FleetNode).id : h.name)),
    })),
  };
}

async function main(): Promise<void> {
  const command = `npm run fleet --${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
  const results: Record<string, unknown> = {
    meta: { command, started_at: new Date().toISOString(), machine: machineInfo(), window_s: WINDOW_S, steps: STEPS, notes },
  };
  const stale = removeStale(PREFIX);
  if (stale.length) note(`removed ${stale.length} namespaces left by an earlier run`);
  log(`fleet: ${plan.nodes.length - 1} relays (${plan.fanout.join(' × ')}), ${plan.lans.length} LANs`);
  const tNet = Date.now();
  net.up();
  log(`  network up in ${((Date.now() - tNet) / 1000).toFixed(1)} s (${plan.lans.length} bridges, ${plan.nodes.length + 2} namespaces + the fabric)`);
  results.topology = describeTopology(plan);
  if (args.loss) {
    const pct = Number(args.loss);
    const lans = args['loss-on']!.split(',').flatMap((w) => {
      const m = /^level(\d+)$/.exec(w.trim());
      return m ? plan.lans.filter((l) => l.kind === 'siblings' && l.level === Number(m[1])).map((l) => l.name) : [w.trim()];
    });
    net.setLoss(pct, lans);
    (results.meta as Record<string, unknown>).loss = { pct, lans };
    log(`  ${pct}% random loss into and out of ${lans.join(', ')}`);
  }
  const pool = new ViewerPool({
    perWorker: Number(args['per-worker']),
    log,
    startWorker: (name) => ViewerWorker.start(name, { netns: plan.viewers.ns, env: { CANOPY_CLIENT_BIND_ADDRESS: plan.viewers.ip } }),
  });
  let publisher: PublisherWorker | null = null;
  const publishers: PublisherWorker[] = [];
  try {
    const startup = await startNodes();
    log(`  ${nodes.size} nodes up in ${startup.toFixed(0)} s`);
    await sleep(5000);
    results.startup_s = round(startup, 1);
    results.idle = await idlePhase();
    publisher = await PublisherWorker.start(
      'publisher',
      { mode: 'whip', url: `${node('origin').url}/whip/${STREAM}`, fixture: fixturePath('vp8-opus-600k.rtp') },
      { netns: plan.studio.ns, env: { CANOPY_CLIENT_BIND_ADDRESS: plan.studio.ip } },
    );
    await sleep(2000);
    const cold = await coldPhase(pool);
    results.cold_join_ms = cold.joins;
    const ramp = await rampPhase(pool);
    results.ramp = { steps: ramp.steps, origin_egress_growth: egressGrowth(ramp.steps as RampStep[]) };
    results.links = ramp.links;
    results.links_summary = linkSummary(ramp.links as LinkRecord[]);
    results.siblings = { by_level: ramp.siblings };
    results.multicast = { idle: (results.idle as Record<string, unknown>).multicast, cold: cold.multicast, ramp: ramp.multicast };
    await pool.closeAll();
    if (STREAMS > 1) results.streams = await streamsPhase(pool, publishers);
    results.memory = {
      idle_rss_mb: (results.idle as Record<string, unknown>).rss_mb,
      one_stream_rss_mb: (ramp.one_stream as Record<string, unknown> | null)?.rss_mb ?? null,
      one_stream_buffer_bytes: (ramp.one_stream as Record<string, unknown> | null)?.buffer_bytes ?? null,
      note: 'RSS from /proc/<pid>/status; "one stream" = one viewer on every leaf, so every relay carries the stream (leaves with one viewer); each relay keeps window B of it in memory (buffer_bytes), which grows while it carries the stream',
    };
  } finally {
    log('stopping');
    await pool.closeAll().catch(() => undefined);
    await pool.exit().catch(() => undefined);
    await publisher?.shutdown().catch(() => undefined);
    await Promise.all(publishers.map((p) => p.shutdown().catch(() => undefined)));
    await Promise.all([...nodes.values()].map((n) => n.stop()));
    cleanup();
    (results.meta as Record<string, unknown>).duration_s = Math.round((Date.now() - t0) / 1000);
  }
  process.stdout.write(`\n${summaryTable(results)}\n\n${command} — ${(results.meta as Record<string, unknown>).duration_s} s\n`);
  if (args.out) {
    writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`results written to ${args.out}\n`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    cleanup();
    process.exit(1);
  },
);
