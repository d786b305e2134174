/**
 * The fleet's topology, planned on paper before any namespace exists (pure, unit-tested).
 *
 *   fabric namespace (fl-fab): one bridge per LAN, each with the LAN's gateway address;
 *   it forwards between bridges (the routed path) and never forwards multicast (TTL 1,
 *   no multicast routing), so sibling discovery stays inside each LAN.
 *
 *   LAN "origin"  10.77.1.0/24    origin (.11), studio: the publisher (.20)
 *   LAN "sib-origin"              the level-1 relays (children of the origin)
 *   LAN "sib-<parent>"            the children of each relay that has children
 *   LAN "viewers" 10.77.250.0/24  the viewer processes
 *   management    10.77.254.0/30  host (root namespace) ↔ fabric: the orchestrator reaches
 *                                 every node's HTTP API (health, /metrics, /api/state)
 *
 * Every node sits in its own namespace with one veth into its LAN's bridge and a default
 * route via the gateway. A child reaches its parent (on another LAN) through the fabric,
 * like a relay in one machine room linked to its parent in another.
 */

export interface FleetNode {
  id: string;
  role: 'origin' | 'relay';
  /** 0 for the origin. */
  level: number;
  parent: string | null;
  lan: string;
  ns: string;
  ip: string;
  /** veth end inside the node's namespace, and its peer on the fabric's bridge. */
  vethIn: string;
  vethOut: string;
}

export interface FleetHost {
  name: string;
  lan: string;
  ns: string;
  ip: string;
  vethIn: string;
  vethOut: string;
}

export interface FleetLan {
  name: string;
  bridge: string;
  /** 10.77.K.0/24: K. */
  index: number;
  subnet: string;
  gateway: string;
  kind: 'origin' | 'siblings' | 'viewers';
  /** The parent whose children share this LAN (siblings LANs). */
  parent: string | null;
  /** Level of the nodes on it (siblings LANs). */
  level: number | null;
}

export interface FleetPlan {
  prefix: string;
  base: string;
  fanout: number[];
  fabricNs: string;
  lans: FleetLan[];
  nodes: FleetNode[];
  studio: FleetHost;
  viewers: FleetHost;
  mgmt: { hostIf: string; fabricIf: string; hostIp: string; fabricIp: string; route: string };
}

export interface PlanOptions {
  /** Children per node at each level, from the origin down: [3, 3, 2] = 3 + 9 + 18 relays. */
  fanout: number[];
  /** Prefix of every namespace, bridge and veth (interface names stay within 15 characters). */
  prefix?: string;
  /** First two octets of the fleet's addresses. */
  base?: string;
}

const IFNAMSIZ = 15;

export function planFleet(opts: PlanOptions): FleetPlan {
  const prefix = opts.prefix ?? 'fl';
  const base = opts.base ?? '10.77';
  const fanout = opts.fanout;
  if (fanout.length === 0 || fanout.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('fanout: one positive integer per level');
  const relays = fanout.reduce((acc, n, i) => acc + fanout.slice(0, i + 1).reduce((a, b) => a * b, 1), 0);
  if (relays > 240) throw new Error(`fanout gives ${relays} relays; at most 240`);
  const lans: FleetLan[] = [];
  const lanOf = new Map<string, FleetLan>();
  const addLan = (name: string, kind: FleetLan['kind'], parent: string | null, level: number | null, index = lans.length + 1): FleetLan => {
    if (index > 249 && kind !== 'viewers') throw new Error('too many LANs');
    const lan: FleetLan = { name, bridge: `${prefix}b${index}`, index, subnet: `${base}.${index}.0/24`, gateway: `${base}.${index}.1`, kind, parent, level };
    lans.push(lan);
    lanOf.set(name, lan);
    return lan;
  };
  const nodes: FleetNode[] = [];
  const hostsOn = new Map<string, number>();
  let veth = 0;
  const place = (lan: FleetLan): { ip: string; vethIn: string; vethOut: string } => {
    const n = hostsOn.get(lan.name) ?? 0;
    hostsOn.set(lan.name, n + 1);
    const i = veth++;
    return { ip: `${base}.${lan.index}.${11 + n}`, vethIn: `${prefix}v${i}`, vethOut: `${prefix}p${i}` };
  };
  const originLan = addLan('origin', 'origin', null, 0);
  nodes.push({ id: 'origin', role: 'origin', level: 0, parent: null, lan: originLan.name, ns: `${prefix}-origin`, ...place(originLan) });
  // Breadth first, so a LAN's index grows with its level.
  let frontier = ['origin'];
  for (let level = 1; level <= fanout.length; level++) {
    const next: string[] = [];
    for (const parent of frontier) {
      const lan = addLan(`sib-${parent}`, 'siblings', parent, level);
      for (let c = 1; c <= fanout[level - 1]!; c++) {
        const id = parent === 'origin' ? `r${c}` : `${parent}-${c}`;
        nodes.push({ id, role: 'relay', level, parent, lan: lan.name, ns: `${prefix}-${id}`, ...place(lan) });
        next.push(id);
      }
    }
    frontier = next;
  }
  const viewersLan = addLan('viewers', 'viewers', null, null, 250);
  const studio: FleetHost = { name: 'studio', lan: originLan.name, ns: `${prefix}-studio`, ...place(originLan) };
  // The studio takes .20 on the origin LAN, apart from the nodes.
  studio.ip = `${base}.${originLan.index}.20`;
  const viewers: FleetHost = { name: 'viewers', lan: viewersLan.name, ns: `${prefix}-viewers`, ...place(viewersLan) };
  const plan: FleetPlan = {
    prefix,
    base,
    fanout,
    fabricNs: `${prefix}-fab`,
    lans,
    nodes,
    studio,
    viewers,
    mgmt: { hostIf: `${prefix}m0`, fabricIf: `${prefix}m1`, hostIp: `${base}.254.1`, fabricIp: `${base}.254.2`, route: `${base}.0.0/16` },
  };
  for (const name of interfaceNames(plan)) if (name.length > IFNAMSIZ) throw new Error(`interface name ${name} is longer than ${IFNAMSIZ} characters`);
  return plan;
}

/** Every interface the plan creates (bridges, both veth ends, the management pair). */
export function interfaceNames(plan: FleetPlan): string[] {
  return [
    ...plan.lans.map((l) => l.bridge),
    ...[...plan.nodes, plan.studio, plan.viewers].flatMap((h) => [h.vethIn, h.vethOut]),
    plan.mgmt.hostIf,
    plan.mgmt.fabricIf,
  ];
}

/** Every namespace the plan creates. */
export function namespaces(plan: FleetPlan): string[] {
  return [plan.fabricNs, ...plan.nodes.map((n) => n.ns), plan.studio.ns, plan.viewers.ns];
}

export function relaysAt(plan: FleetPlan, level: number): FleetNode[] {
  return plan.nodes.filter((n) => n.level === level);
}

export function leaves(plan: FleetPlan): FleetNode[] {
  return relaysAt(plan, plan.fanout.length);
}

/**
 * The order viewers are spread over the leaves: round robin, each next viewer as far as
 * possible in the tree from the previous ones (first one leaf under every level-1 relay, then
 * under every level-2 relay, ...). The first viewers therefore pull cold branches; the later
 * ones land next to a sibling that carries the stream.
 */
export function viewerOrder(plan: FleetPlan): FleetNode[] {
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const path = (n: FleetNode): number[] => {
    const out: number[] = [];
    for (let x: FleetNode | undefined = n; x && x.parent; x = byId.get(x.parent)) out.unshift(Number(x.id.split('-').pop()!.replace(/^r/, '')));
    return out;
  };
  // Sort by the child indices read from the leaf up: the deepest index varies slowest.
  return [...leaves(plan)].sort((a, b) => {
    const pa = path(a).reverse();
    const pb = path(b).reverse();
    for (let i = 0; i < pa.length; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
    return 0;
  });
}

/** The relays between a node and the origin, parent first. */
export function ancestors(plan: FleetPlan, id: string): FleetNode[] {
  const byId = new Map(plan.nodes.map((n) => [n.id, n]));
  const out: FleetNode[] = [];
  for (let p = byId.get(id)?.parent; p; p = byId.get(p)?.parent ?? null) out.push(byId.get(p)!);
  return out;
}
