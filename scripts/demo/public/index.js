import { $, every, loadTree, showError, spoken } from './common.js';

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

function link(href, text) {
  return el('a', { href }, text);
}

function publishUrl(tree, extra) {
  return `publish.html?${new URLSearchParams({ origin: tree.origin, stream: tree.stream, ...extra })}`;
}

function watchUrl(tree, url) {
  return `watch.html?${new URLSearchParams({ relay: url, stream: tree.stream, autostart: '1' })}`;
}

function renderLinks(tree) {
  const deepest = Math.max(0, ...tree.relays.map((r) => r.level));
  const pattern = (codec) => el('li', {}, link(publishUrl(tree, { source: 'pattern', codec, autostart: '1' }), `Publish the test pattern (${codec})`));
  $('links').replaceChildren(
    el('li', {}, link(`${tree.origin}/dashboard/`, 'Live tree dashboard'), ' (served by the origin; every node serves its own subtree\'s at /dashboard/)'),
    ...['VP8', 'VP9', 'H264', 'AV1'].map(pattern),
    el('li', {}, link(publishUrl(tree, { source: 'camera' }), 'Publish a camera')),
    ...tree.relays
      .filter((r) => r.level === deepest)
      .map((r) => el('li', {}, link(watchUrl(tree, r.url), `Watch "${tree.stream}" on ${r.id}`))),
  );
}

/** Every node of the demo tree: the origin, then the relays. */
function treeNodes(tree) {
  return [{ id: 'origin', url: tree.origin, level: 0, parent: null }, ...tree.relays];
}

function childrenOf(nodes, id) {
  const known = new Set(nodes.map((n) => n.id));
  return nodes.filter((n) => n.id !== 'origin' && (n.parent === id || (id === 'origin' && !known.has(n.parent))));
}

// ---- The picture: nodes by level, relay links, and where each stream flows ----

const SVG_NS = 'http://www.w3.org/2000/svg';
const VIEW_W = 760;
const ROW_H = 104;
const BOX_W = 132;
const BOX_H = 46;

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

function svgText(x, y, text, cls) {
  const t = svg('text', { x, y, class: cls, 'text-anchor': 'middle' });
  t.textContent = text;
  return t;
}

/** Positions: leaves evenly spaced in tree order, each parent centred over its children; the publisher above the origin. */
function layout(nodes) {
  const pos = new Map();
  const leaves = [];
  const walk = (n) => {
    const kids = childrenOf(nodes, n.id);
    if (kids.length === 0) leaves.push(n);
    kids.forEach(walk);
  };
  walk(nodes[0]);
  const step = VIEW_W / Math.max(1, leaves.length);
  leaves.forEach((n, i) => pos.set(n.id, { x: step * (i + 0.5), y: ROW_H * (n.level + 1) + BOX_H / 2 + 10 }));
  const place = (n) => {
    if (pos.has(n.id)) return pos.get(n.id);
    const xs = childrenOf(nodes, n.id).map(place).map((p) => p.x);
    const p = { x: xs.reduce((a, b) => a + b, 0) / xs.length, y: ROW_H * (n.level + 1) + BOX_H / 2 + 10 };
    pos.set(n.id, p);
    return p;
  };
  place(nodes[0]);
  pos.set('publisher', { x: pos.get('origin').x, y: BOX_H / 2 + 10 });
  return pos;
}

/** A path from the bottom of box a to the top of box b, or an arc between siblings on one row. */
function edgePath(a, b) {
  if (Math.abs(a.y - b.y) < 1) {
    const lift = 34 + Math.abs(a.x - b.x) / 8;
    return `M ${a.x} ${a.y + BOX_H / 2} Q ${(a.x + b.x) / 2} ${a.y + BOX_H / 2 + lift} ${b.x} ${b.y + BOX_H / 2}`;
  }
  return `M ${a.x} ${a.y + BOX_H / 2} L ${b.x} ${b.y - BOX_H / 2}`;
}

function buildPicture(tree) {
  const nodes = treeNodes(tree);
  const pos = layout(nodes);
  const height = ROW_H * (Math.max(...nodes.map((n) => n.level)) + 2) + 20;
  const links = svg('g', { class: 'links' });
  for (const n of nodes) {
    if (n.id === 'origin') continue;
    const parent = nodes.some((p) => p.id === n.parent) ? n.parent : 'origin';
    links.append(svg('path', { d: edgePath(pos.get(parent), pos.get(n.id)), class: 'link' }));
  }
  const flows = svg('g', { class: 'flows' });
  const boxes = svg('g', { class: 'boxes' });
  const boxOf = new Map();
  const box = (id, title, sub) => {
    const p = pos.get(id);
    const rect = svg('rect', { x: p.x - BOX_W / 2, y: p.y - BOX_H / 2, width: BOX_W, height: BOX_H, rx: 7, class: 'node unknown' });
    const subText = svgText(p.x, p.y + 14, sub, 'node-sub');
    const g = svg('g', { 'data-node': id }, rect, svgText(p.x, p.y - 3, title, 'node-id'), subText);
    boxes.append(g);
    boxOf.set(id, { rect, subText, g });
  };
  box('publisher', 'publisher', 'WHIP');
  boxOf.get('publisher').rect.setAttribute('class', 'node publisher idle');
  for (const n of nodes) box(n.id, n.id, `level ${n.level}`);
  $('flow').replaceChildren(svg('svg', { viewBox: `0 0 ${VIEW_W} ${height}`, role: 'img', 'aria-label': 'the relay tree and the streams flowing through it' }, links, flows, boxes));
  return { pos, flows, boxOf, nodes };
}

/** Redraws node states and stream flows from the nodes' /api/state answers (null: unreachable). */
function updatePicture(pic, states) {
  const edges = new Map();
  const addFlow = (from, to, kind, label) => {
    if (!pic.pos.has(from) || !pic.pos.has(to)) return;
    const key = `${from}>${to}>${kind}`;
    const e = edges.get(key) ?? { from, to, kind, labels: new Set() };
    e.labels.add(label);
    edges.set(key, e);
  };
  let publishing = false;
  for (const n of pic.nodes) {
    const state = states.get(n.id);
    const { rect, subText } = pic.boxOf.get(n.id);
    if (!state) {
      rect.setAttribute('class', 'node down');
      subText.textContent = 'unreachable';
      continue;
    }
    const draining = state.node?.draining === true;
    rect.setAttribute('class', `node ${draining ? 'draining' : 'up'}`);
    const streams = state.streams ?? [];
    const viewers = streams.reduce((sum, s) => sum + (s.viewers ?? 0), 0);
    subText.textContent = `L${state.node?.level ?? n.level} · ${viewers} viewer${viewers === 1 ? '' : 's'}${draining ? ' · draining' : ''}`;
    for (const s of streams) {
      const shifted = s.start !== null && s.start !== undefined;
      const label = shifted ? `${s.name} @${new Date(s.start).toLocaleTimeString()}` : s.name;
      if (s.publisher) {
        publishing = true;
        addFlow('publisher', n.id, 'live', label);
      }
      if (!s.upstream) continue;
      const kind = s.upstream.kind === 'sibling' ? 'sibling' : shifted ? 'shift' : 'live';
      addFlow(s.upstream.peer, n.id, kind, label);
    }
  }
  pic.boxOf.get('publisher').rect.setAttribute('class', `node publisher ${publishing ? 'up' : 'idle'}`);
  pic.flows.replaceChildren(
    ...[...edges.values()].map((e) => {
      const a = pic.pos.get(e.from);
      const b = pic.pos.get(e.to);
      const path = svg('path', { d: edgePath(a, b), class: `flow flow-${e.kind}`, 'data-from': e.from, 'data-to': e.to });
      const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 + (Math.abs(a.y - b.y) < 1 ? BOX_H / 2 + 26 : 0) };
      const offset = e.kind === 'shift' ? 12 : e.kind === 'sibling' ? 0 : -12;
      const text = svgText(mid.x + 8, mid.y + offset, [...e.labels].join(', '), `flow-label flow-label-${e.kind}`);
      text.setAttribute('text-anchor', 'start');
      return svg('g', {}, path, text);
    }),
  );
}

function renderLegend() {
  const sample = (cls) =>
    svg('svg', { viewBox: '0 0 40 12', width: 40, height: 12, 'aria-hidden': 'true' }, cls.startsWith('node') ? svg('rect', { x: 2, y: 1, width: 36, height: 10, rx: 3, class: cls }) : svg('path', { d: 'M 2 6 L 38 6', class: cls }));
  const item = (cls, text) => el('li', {}, sample(cls), ` ${text}`);
  $('legend').replaceChildren(
    item('link', 'relay link, nothing flowing'),
    item('flow flow-live', 'a live stream flowing down (label: stream)'),
    item('flow flow-shift', 'a time-shifted stream (label: stream @start)'),
    item('flow flow-sibling', 'pulled from a sibling relay'),
    item('node up', 'node up (viewers on it)'),
    item('node draining', 'node draining'),
    item('node down', 'node unreachable'),
  );
}

// ---- The list: each node with its streams ----

/** Builds the static node list and returns one entry per node for the poller. */
function renderList(tree) {
  const nodes = treeNodes(tree);
  const entries = [];
  const item = (node) => {
    const dot = el('span', { className: 'dot', title: 'unknown' });
    const meta = el('span', { className: 'meta' }, `level ${node.level}`);
    const action =
      node.level === 0
        ? link(publishUrl(tree, { source: 'pattern', autostart: '1' }), 'publish')
        : link(watchUrl(tree, node.url), 'watch');
    const dashboard = link(`${node.url}/dashboard/`, 'dashboard');
    const body = el('div');
    const raw = el('pre');
    entries.push({ node, dot, meta, body, raw });
    const kids = childrenOf(nodes, node.id);
    return el(
      'li',
      {},
      el('div', { className: 'node-head' }, dot, el('span', { className: 'id' }, node.id), meta, link(node.url, node.url), el('span', { className: 'actions' }, action, ' ', dashboard)),
      body,
      el('details', {}, el('summary', {}, 'raw /api/state'), raw),
      kids.length ? el('ul', {}, ...kids.map(item)) : null,
    );
  };
  $('tree').replaceChildren(item(nodes[0]));
  return entries;
}

function upstreamText(s) {
  if (s.publisher) return 'publisher';
  if (!s.upstream) return s.servedFrom ? `this node's ${s.servedFrom}` : '—';
  return [s.upstream.kind, s.upstream.peer, s.upstream.state].filter(Boolean).join(' · ');
}

/** Live, or for a time-shifted session where it plays from: the rows are distinct sessions, not duplicates. */
function fromText(s) {
  if (s.start === null || s.start === undefined) return 'live';
  const at = new Date(s.start).toLocaleTimeString();
  const from = [s.servedFrom && `from ${s.servedFrom}`, s.bypass && 'bypass'].filter(Boolean).join(', ');
  return `time-shift @${at} (${spoken(Date.now() - s.start)} ago${from ? `; ${from}` : ''})`;
}

function streamsTable(streams) {
  if (!streams.length) return el('p', { className: 'empty' }, 'no streams');
  const row = (cells, tag = 'td', cls = '') => el('tr', { className: cls }, ...cells.map((c) => el(tag, {}, String(c))));
  // Live first, then time-shifted sessions by start.
  const sorted = [...streams].sort((a, b) => a.name.localeCompare(b.name) || (a.start ?? -Infinity) - (b.start ?? -Infinity));
  return el(
    'table',
    { className: 'streams' },
    el('thead', {}, row(['stream', 'playing', 'viewers', 'child relays', 'comes from'], 'th')),
    el('tbody', {}, ...sorted.map((s) => row([s.name, fromText(s), s.viewers ?? 0, s.children ?? 0, upstreamText(s)], 'td', s.start === null || s.start === undefined ? 'live' : 'shifted'))),
  );
}

function updateEntry({ node, dot, meta, body, raw }, state, err) {
  if (!state) {
    dot.className = 'dot down';
    dot.title = 'down';
    body.replaceChildren(el('p', { className: 'empty' }, `unreachable: ${err?.message ?? err}`));
    return;
  }
  const n = state.node ?? {};
  dot.className = `dot ${n.draining ? 'draining' : 'up'}`;
  dot.title = n.draining ? 'draining' : 'up';
  // /api/state names the current parent as an object ({url, id, priority}).
  const parent = typeof n.parent === 'object' && n.parent !== null ? n.parent.id ?? n.parent.url : n.parent;
  meta.textContent = [n.role, `level ${n.level ?? node.level}`, parent && `parent ${parent}`, n.draining && 'draining'].filter(Boolean).join(' · ');
  body.replaceChildren(streamsTable(state.streams ?? []));
  raw.textContent = JSON.stringify(state, null, 2);
}

async function fetchState(node) {
  const res = await fetch(`${node.url}/api/state`, { cache: 'no-store', signal: AbortSignal.timeout(900) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

const tree = await loadTree();
if (!tree) {
  showError(new Error('No tree.json here. Start the demo tree with `npm start` and open the URL it prints.'));
} else {
  renderLinks(tree);
  renderLegend();
  const picture = buildPicture(tree);
  const entries = renderList(tree);
  every(1000, async () => {
    const states = new Map();
    await Promise.all(
      entries.map(async (entry) => {
        try {
          const state = await fetchState(entry.node);
          states.set(entry.node.id, state);
          updateEntry(entry, state, null);
        } catch (err) {
          states.set(entry.node.id, null);
          updateEntry(entry, null, err);
        }
      }),
    );
    updatePicture(picture, states);
    document.body.dataset.polled = String(Number(document.body.dataset.polled ?? 0) + 1);
  });
}
