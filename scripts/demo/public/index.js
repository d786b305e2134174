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

function watchUrl(tree, url, extra = {}) {
  return `watch.html?${new URLSearchParams({ relay: url, stream: tree.stream, ...extra, autostart: '1' })}`;
}

function renderLinks(tree) {
  const deepest = Math.max(0, ...tree.relays.map((r) => r.level));
  const pattern = (codec) => el('li', {}, link(publishUrl(tree, { source: 'pattern', codec, autostart: '1' }), `Publish the test pattern (${codec})`));
  $('links').replaceChildren(
    el('li', {}, link(`${tree.origin}/dashboard/`, 'Live tree dashboard'), " (served by the origin; every node serves its own subtree's at /dashboard/)"),
    ...['VP8', 'VP9', 'H264', 'AV1'].map(pattern),
    el('li', {}, link(publishUrl(tree, { source: 'camera' }), 'Publish a camera')),
    ...tree.relays.filter((r) => r.level === deepest).map((r) => el('li', {}, link(watchUrl(tree, r.url), `Watch "${tree.stream}" on ${r.id}`))),
    // As the terminal prints it: time-shift, on the first deepest relay.
    ...tree.relays
      .filter((r) => r.level === deepest)
      .slice(0, 1)
      .map((r) => el('li', {}, link(watchUrl(tree, r.url, { ago: '60' }), `Watch "${tree.stream}" 1 min ago on ${r.id}`), ' (time-shift)')),
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

// ---- The list: each node with its streams ----

/** Builds the static node list and returns one entry per node for the poller. */
function renderList(tree) {
  const nodes = treeNodes(tree);
  const entries = [];
  const item = (node) => {
    const dot = el('span', { className: 'dot', title: 'unknown' });
    const meta = el('span', { className: 'meta' }, `level ${node.level}`);
    const action = node.level === 0 ? link(publishUrl(tree, { source: 'pattern', autostart: '1' }), 'publish') : link(watchUrl(tree, node.url), 'watch');
    const dashboard = link(`${node.url}/dashboard/`, 'dashboard');
    const body = el('div');
    const raw = el('pre');
    entries.push({ node, dot, meta, body, raw });
    const kids = childrenOf(nodes, node.id);
    return el(
      'li',
      {},
      el(
        'div',
        { className: 'node-head' },
        dot,
        el('span', { className: 'id' }, node.id),
        meta,
        link(node.url, node.url),
        el('span', { className: 'actions' }, action, ' ', dashboard),
      ),
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
  // 24-hour, as the dashboard writes times.
  const at = new Date(s.start).toLocaleTimeString([], { hour12: false });
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
    el(
      'tbody',
      {},
      ...sorted.map((s) =>
        row([s.name, fromText(s), s.viewers ?? 0, s.children ?? 0, upstreamText(s)], 'td', s.start === null || s.start === undefined ? 'live' : 'shifted'),
      ),
    ),
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
  const parent = typeof n.parent === 'object' && n.parent !== null ? (n.parent.id ?? n.parent.url) : n.parent;
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
  // The one picture of the tree is the origin's dashboard (src/dashboard/): this page links it
  // rather than drawing a second one that could disagree with it.
  $('dashboard').href = `${tree.origin}/dashboard/`;
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
    document.body.dataset.polled = String(Number(document.body.dataset.polled ?? 0) + 1);
  });
}
