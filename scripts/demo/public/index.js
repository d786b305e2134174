import { $, every, loadTree, showError } from './common.js';

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
  $('links').replaceChildren(
    el('li', {}, link(publishUrl(tree, { source: 'pattern', codec: 'VP8', autostart: '1' }), 'Publish the test pattern (VP8)')),
    el('li', {}, link(publishUrl(tree, { source: 'pattern', codec: 'H264', autostart: '1' }), 'Publish the test pattern (H264)')),
    el('li', {}, link(publishUrl(tree, { source: 'camera' }), 'Publish a camera')),
    ...tree.relays
      .filter((r) => r.level === deepest)
      .map((r) => el('li', {}, link(watchUrl(tree, r.url), `Watch "${tree.stream}" on ${r.id}`))),
  );
}

/** Builds the static tree skeleton and returns one updater per node. */
function renderTree(tree) {
  const nodes = [{ id: 'origin', url: tree.origin, level: 0, parent: null }, ...tree.relays];
  const known = new Set(nodes.map((n) => n.id));
  const childrenOf = (id) =>
    nodes.filter((n) => n.id !== 'origin' && (n.parent === id || (id === 'origin' && !known.has(n.parent))));
  const updaters = [];

  const item = (node) => {
    const dot = el('span', { className: 'dot', title: 'unknown' });
    const meta = el('span', { className: 'meta' }, `level ${node.level}`);
    const action =
      node.level === 0
        ? link(publishUrl(tree, { source: 'pattern', autostart: '1' }), 'publish')
        : link(watchUrl(tree, node.url), 'watch');
    const body = el('div');
    const raw = el('pre');
    updaters.push({ node, dot, meta, body, raw });
    const kids = childrenOf(node.id);
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
        el('span', { className: 'actions' }, action),
      ),
      body,
      el('details', {}, el('summary', {}, 'raw /api/state'), raw),
      kids.length ? el('ul', {}, ...kids.map(item)) : null,
    );
  };

  $('tree').replaceChildren(item(nodes[0]));
  return updaters;
}

function upstreamText(s) {
  if (s.publisher) return 'publisher';
  if (!s.upstream) return '—';
  return [s.upstream.kind, s.upstream.peer, s.upstream.state].filter(Boolean).join(' · ');
}

function streamsTable(streams) {
  if (!streams.length) return el('p', { className: 'empty' }, 'no streams');
  const row = (cells, tag = 'td') => el('tr', {}, ...cells.map((c) => el(tag, {}, String(c))));
  return el(
    'table',
    { className: 'streams' },
    el('thead', {}, row(['stream', 'viewers', 'children', 'upstream'], 'th')),
    el('tbody', {}, ...streams.map((s) => row([s.name, s.viewers ?? 0, s.children ?? 0, upstreamText(s)]))),
  );
}

async function poll({ node, dot, meta, body, raw }) {
  try {
    const res = await fetch(`${node.url}/api/state`, { cache: 'no-store', signal: AbortSignal.timeout(900) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const state = await res.json();
    dot.className = 'dot up';
    dot.title = 'up';
    const n = state.node ?? {};
    meta.textContent = [n.role, `level ${n.level ?? node.level}`, n.parent && `parent ${n.parent}`]
      .filter(Boolean)
      .join(' · ');
    body.replaceChildren(streamsTable(state.streams ?? []));
    raw.textContent = JSON.stringify(state, null, 2);
  } catch (err) {
    dot.className = 'dot down';
    dot.title = 'down';
    body.replaceChildren(el('p', { className: 'empty' }, `unreachable: ${err.message ?? err}`));
  }
}

const tree = await loadTree();
if (!tree) {
  showError(new Error('No tree.json here. Start the demo tree with `npm start` and open the URL it prints.'));
} else {
  renderLinks(tree);
  const updaters = renderTree(tree);
  every(1000, () => Promise.all(updaters.map(poll)));
}
