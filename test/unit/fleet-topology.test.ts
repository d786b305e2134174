import { describe, expect, it } from 'vitest';
import { ancestors, interfaceNames, leaves, namespaces, planFleet, relaysAt, viewerOrder } from '../../scripts/fleet/topology.js';

describe('fleet topology planner', () => {
  const plan = planFleet({ fanout: [3, 3, 2] });

  it('plans 30 relays in three levels under the origin, each in its own namespace with its own address', () => {
    expect(relaysAt(plan, 1)).toHaveLength(3);
    expect(relaysAt(plan, 2)).toHaveLength(9);
    expect(relaysAt(plan, 3)).toHaveLength(18);
    expect(plan.nodes.filter((n) => n.role === 'origin')).toHaveLength(1);
    const all = [...plan.nodes, plan.studio, plan.viewers];
    expect(new Set(all.map((n) => n.ns)).size).toBe(all.length);
    expect(new Set(all.map((n) => n.ip)).size).toBe(all.length);
    expect(new Set(interfaceNames(plan)).size).toBe(interfaceNames(plan).length);
    for (const name of interfaceNames(plan)) {
      expect(name.startsWith('fl')).toBe(true);
      expect(name.length).toBeLessThanOrEqual(15);
    }
    for (const ns of namespaces(plan)) expect(ns.startsWith('fl-')).toBe(true);
  });

  it('puts each group of siblings, and only them, on its own LAN, apart from its parent', () => {
    const lanOf = new Map(plan.lans.map((l) => [l.name, l]));
    for (const n of plan.nodes.filter((x) => x.role === 'relay')) {
      const lan = lanOf.get(n.lan)!;
      expect(lan.kind).toBe('siblings');
      expect(lan.parent).toBe(n.parent);
      expect(n.ip.startsWith(lan.subnet.replace('0/24', ''))).toBe(true);
      const parent = plan.nodes.find((p) => p.id === n.parent)!;
      expect(parent.lan).not.toBe(n.lan);
    }
    // 1 origin LAN + 1 + 3 + 9 sibling LANs + 1 viewer LAN.
    expect(plan.lans).toHaveLength(15);
    expect(new Set(plan.lans.map((l) => l.bridge)).size).toBe(15);
    expect(plan.studio.lan).toBe('origin');
  });

  it('orders viewers so that the first ones open every branch and later ones land beside a carrying sibling', () => {
    const order = viewerOrder(plan).map((n) => n.id);
    expect(order).toHaveLength(18);
    expect(new Set(order).size).toBe(18);
    expect(order.slice(0, 3)).toEqual(['r1-1-1', 'r2-1-1', 'r3-1-1']);
    expect(order.slice(3, 6)).toEqual(['r1-2-1', 'r2-2-1', 'r3-2-1']);
    expect(order[9]).toBe('r1-1-2');
    expect(leaves(plan).every((l) => l.level === 3)).toBe(true);
    expect(ancestors(plan, 'r2-3-1').map((n) => n.id)).toEqual(['r2-3', 'r2', 'origin']);
  });

  it('refuses shapes it cannot address', () => {
    expect(() => planFleet({ fanout: [] })).toThrow();
    expect(() => planFleet({ fanout: [3, 0] })).toThrow();
    expect(() => planFleet({ fanout: [10, 10, 10] })).toThrow(/at most 240/);
  });
});
