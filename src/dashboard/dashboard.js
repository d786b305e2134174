// Canopy's live tree dashboard (docs/dashboard.md). Served by a node at /dashboard/; reads
// the node's /api/tree/events (Server-Sent Events) with fetch, so the admin token travels in an
// Authorization header, never in a URL the node or a proxy would log. No build step, no
// dependencies: plain DOM and SVG.

const TOKEN_KEY = 'canopy-admin-token';
const EVENTS_URL = '../api/tree/events';
/** No byte for this long (the node sends a heartbeat every 15 s): the stream is dead. */
const SILENCE_MS = 45_000;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 10_000;

const SVG_NS = 'http://www.w3.org/2000/svg';
const BOX_W = 196;
const BOX_H = 80;
const GAP_X = 48;
const ROW_H = 178;
const MARGIN = 24;
const LINE_H = 14;
/** Lines of one edge label; the rest is summed up as "+N more". */
const MAX_LABEL_LINES = 4;

const KINDS = ['parent', 'sibling', 'timeshift', 'publisher'];

const $ = (id) => document.getElementById(id);

// ---- Token: from #token= (never sent to the server) or ?token=, then kept in this tab ----

function takeToken() {
  const hash = new URLSearchParams(location.hash.slice(1));
  const query = new URLSearchParams(location.search);
  const given = hash.get('token') ?? query.get('token');
  if (given) {
    sessionStorage.setItem(TOKEN_KEY, given);
    query.delete('token');
    const rest = query.toString();
    // Out of the address bar, history and any screenshot.
    history.replaceState(null, '', `${location.pathname}${rest ? `?${rest}` : ''}`);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function setStatus(text, bad = false) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('bad', bad);
  document.body.dataset.connection = bad ? 'down' : 'live';
}

// ---- Formatting ----

function mib(v) {
  if (!Number.isFinite(v) || v <= 0) return '0';
  if (v >= 1024 ** 3) return `${(v / 1024 ** 3).toFixed(1)} GiB`;
  return `${Math.round(v / 1024 ** 2)} MiB`;
}

function bps(v) {
  if (!Number.isFinite(v) || v <= 0) return '0 b/s';
  if (v >= 1e6) return `${(v / 1e6).toFixed(v >= 1e7 ? 0 : 1)} Mb/s`;
  if (v >= 1e3) return `${Math.round(v / 1e3)} kb/s`;
  return `${Math.round(v)} b/s`;
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function clock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour12: false });
}

function cut(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The kind of edge a flow draws: time-shift whatever link it rides, else how it arrives. */
function kindOf(flow) {
  if (flow.startMs !== null && flow.startMs !== undefined) return 'timeshift';
  if (flow.source === 'sibling') return 'sibling';
  if (flow.source === 'publisher') return 'publisher';
  return 'parent';
}

function flowText(flow) {
  // Simulcast: the layers this copy pulls (docs/abr.md).
  const rate = bps(flow.bps) + (flow.layers && flow.layers.length ? ` · ${flow.layers.join('+')}` : '');
  if (kindOf(flow) !== 'timeshift') return `${flow.stream} · ${rate}`;
  const via = flow.source === 'sibling' ? ' via sibling' : '';
  return `${flow.stream} ⟲ from ${clock(flow.startMs)}${via} · ${rate}`;
}

// ---- SVG helpers ----

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/** Text is always set as textContent: names come from other nodes' reports. */
function text(x, y, content, cls, anchor = 'start') {
  const t = svg('text', { x, y, class: cls, 'text-anchor': anchor });
  t.textContent = content;
  return t;
}

function markers() {
  return svg(
    'defs',
    {},
    ...KINDS.map((k) =>
      svg(
        'marker',
        {
          id: `arrow-${k}`,
          viewBox: '0 0 10 10',
          refX: 9,
          refY: 5,
          markerWidth: 11,
          markerHeight: 11,
          markerUnits: 'userSpaceOnUse',
          orient: 'auto-start-reverse',
        },
        svg('path', { d: 'M 0 0 L 10 5 L 0 10 z' }),
      ),
    ),
  );
}

// ---- Layout: the serving node on top, each node under its parent, leaves side by side ----

function layout(snap) {
  const byId = new Map(snap.nodes.map((n) => [n.id, n]));
  const root = snap.nodes.find((n) => n.self) ?? snap.nodes[0];
  const kids = new Map();
  for (const n of snap.nodes) {
    if (n === root) continue;
    // A node whose parent is not on the picture hangs under the serving node.
    const p = n.parent && byId.has(n.parent) && n.parent !== n.id ? n.parent : root.id;
    if (!kids.has(p)) kids.set(p, []);
    kids.get(p).push(n);
  }
  for (const list of kids.values()) list.sort((a, b) => a.id.localeCompare(b.id));
  // Above the serving node: its publisher(s) (the origin) or the parent it pulls from (a relay).
  const pseudo = [];
  if (root.flows.some((f) => f.source === 'publisher')) pseudo.push({ id: 'publisher', pseudo: 'publisher' });
  else if (root.parent) pseudo.push({ id: root.parent, pseudo: 'upstream' });
  const top = pseudo.length ? 1 : 0;
  const pos = new Map();
  let leaves = 0;
  const seen = new Set();
  const place = (n, depth) => {
    seen.add(n.id);
    const children = (kids.get(n.id) ?? []).filter((c) => !seen.has(c.id));
    const y = MARGIN + (depth + top) * ROW_H + BOX_H / 2 + (top ? 0 : 40);
    if (children.length === 0) {
      const p = { x: MARGIN + leaves * (BOX_W + GAP_X) + BOX_W / 2, y, depth };
      leaves++;
      pos.set(n.id, p);
      return p;
    }
    const xs = children.map((c) => place(c, depth + 1).x);
    const p = { x: (Math.min(...xs) + Math.max(...xs)) / 2, y, depth };
    pos.set(n.id, p);
    return p;
  };
  place(root, 0);
  // Nodes a loop in the reports kept from being reached hang under the serving node too.
  for (const n of snap.nodes) if (!pos.has(n.id)) place(n, 1);
  const rootPos = pos.get(root.id);
  for (const p of pseudo) pos.set(`~${p.id}`, { x: rootPos.x, y: MARGIN + BOX_H / 2 + 20, depth: -1 });
  const depth = Math.max(0, ...[...pos.values()].map((p) => p.depth));
  return {
    root,
    pseudo,
    pos,
    width: Math.max(BOX_W + 2 * MARGIN + 200, MARGIN * 2 + leaves * (BOX_W + GAP_X) - GAP_X + 160),
    height: MARGIN * 2 + (depth + top + 1) * ROW_H - (ROW_H - BOX_H) + (top ? 0 : 40) + 60,
  };
}

// ---- Drawing ----

function nodeBox(n, p, snap) {
  const x0 = p.x - BOX_W / 2;
  const y0 = p.y - BOX_H / 2;
  const cls = ['node', n.state, n.self ? 'self' : ''].filter(Boolean).join(' ');
  const level = n.level === 0 && !n.parent ? 'origin · L0' : `L${n.level}`;
  const local = n.flows.filter((f) => f.source === 'local');
  let state = plural(new Set(n.flows.map((f) => f.stream)).size, 'stream');
  if (n.state === 'failed') state = `FAILED · gone ${Math.max(0, Math.round((snap.at - n.failedAt) / 1000))} s`;
  else if (n.state === 'draining') state = 'DRAINING';
  else if (local.length) state = `⟲ ${local.length} time-shift (own buffer)`;
  // Window B's memory against the node budget (issue 23).
  if (n.state !== 'failed' && n.cacheBudgetBytes > 0) state += ` · B ${mib(n.cacheBytes)}/${mib(n.cacheBudgetBytes)}`;
  const load =
    n.state === 'failed'
      ? 'last report lost'
      : `cpu ${Math.round(n.cpu * 100)}% · ${bps(n.egressBps)} out${n.capacity ? ` · ${Math.round((100 * n.viewers) / n.capacity)}% full` : ''}`;
  const title = svg('title');
  title.textContent = `${n.id} (level ${n.level}${n.region ? `, region ${n.region}` : ''})`;
  return svg(
    'g',
    { class: cls, 'data-node': n.id, 'data-level': n.level, 'data-state': n.state, 'data-viewers': n.viewers },
    title,
    svg('rect', { class: 'box', x: x0, y: y0, width: BOX_W, height: BOX_H, rx: 8 }),
    text(x0 + 10, y0 + 18, cut(n.id, 20), 'id'),
    text(x0 + BOX_W - 10, y0 + 18, level, 'level', 'end'),
    text(x0 + 10, y0 + 36, `${plural(n.viewers, 'viewer')} · ${plural(n.childLinks, 'link')}`, 'viewers'),
    text(x0 + 10, y0 + 53, load, 'load'),
    text(x0 + 10, y0 + 70, state, 'state'),
  );
}

function pseudoBox(p, at) {
  const x0 = at.x - BOX_W / 2;
  const y0 = at.y - 22;
  const label = p.pseudo === 'publisher' ? 'publisher (WHIP)' : `↑ ${cut(p.id, 18)}`;
  const sub = p.pseudo === 'publisher' ? 'broadcasts into the origin' : 'this node’s parent';
  return svg(
    'g',
    { class: `node pseudo ${p.pseudo}`, 'data-pseudo': p.pseudo },
    svg('rect', { class: 'box', x: x0, y: y0, width: BOX_W, height: 44, rx: 8 }),
    text(at.x, y0 + 18, label, 'id', 'middle'),
    text(at.x, y0 + 35, sub, 'level', 'middle'),
  );
}

/** Where an edge starts and ends: bottom of the upper box to top of the lower, or an arc under one row. */
function edgeGeometry(a, b, aH, offset) {
  if (Math.abs(a.y - b.y) < 1) {
    const lift = 46 + Math.abs(a.x - b.x) / 10;
    const y = a.y + BOX_H / 2;
    return { d: `M ${a.x + offset} ${y} Q ${(a.x + b.x) / 2} ${y + lift * 2} ${b.x + offset} ${y + 2}`, label: { x: (a.x + b.x) / 2 + 4, y: y + lift + 4 } };
  }
  const [hi, lo] = a.y < b.y ? [a, b] : [b, a];
  const hiH = hi === a ? aH : BOX_H;
  const y1 = hi.y + hiH / 2;
  const y2 = lo.y - BOX_H / 2 - 2;
  const mid = (y1 + y2) / 2;
  const d = `M ${hi.x + offset} ${y1} C ${hi.x + offset} ${mid}, ${lo.x + offset} ${mid}, ${lo.x + offset} ${y2}`;
  return { d: a.y < b.y ? d : reversePath(hi, lo, y1, y2, mid, offset), label: { x: lo.x + 10, y: y2 - 10 } };
}

function reversePath(hi, lo, y1, y2, mid, offset) {
  return `M ${lo.x + offset} ${y2} C ${lo.x + offset} ${mid}, ${hi.x + offset} ${mid}, ${hi.x + offset} ${y1}`;
}

function render(snap) {
  const L = layout(snap);
  const byId = new Map(snap.nodes.map((n) => [n.id, n]));
  const links = svg('g', { class: 'links' });
  const flows = svg('g', { class: 'flows' });
  const labels = svg('g', { class: 'labels' });
  const boxes = svg('g', { class: 'boxes' });

  // Relay links, whether or not anything flows on them.
  for (const n of snap.nodes) {
    if (n === L.root) continue;
    const parentKey = n.parent && byId.has(n.parent) ? n.parent : L.root.id;
    const g = edgeGeometry(L.pos.get(parentKey), L.pos.get(n.id), BOX_H, 0);
    links.append(svg('path', { class: 'link', d: g.d, 'data-from': parentKey, 'data-to': n.id }));
  }
  for (const p of L.pseudo) {
    const g = edgeGeometry(L.pos.get(`~${p.id}`), L.pos.get(L.root.id), 44, 0);
    links.append(svg('path', { class: 'link', d: g.d }));
  }

  // Media flows: one edge per (from, to, kind); its label lists the stream copies on it.
  const edges = new Map();
  for (const n of snap.nodes) {
    for (const f of n.flows) {
      if (f.source === 'local') continue; // time-shift from the node's own buffer: shown on the node
      const kind = kindOf(f);
      let from = f.from;
      if (kind === 'publisher') from = '~publisher';
      else if (!byId.has(from)) {
        if (n === L.root && L.pseudo[0]?.pseudo === 'upstream') from = `~${L.pseudo[0].id}`;
        else continue; // from a node off the picture
      }
      const key = `${from}>${n.id}>${kind}`;
      const e = edges.get(key) ?? { from, to: n.id, kind, flows: [] };
      e.flows.push(f);
      edges.set(key, e);
    }
  }
  // Labels of the edges into one node stack above it, live first.
  const stacks = new Map();
  // Live copies run over the relay link's line; a time-shifted copy beside them.
  const offsets = { parent: 0, publisher: 0, timeshift: 7, sibling: 0 };
  for (const e of [...edges.values()].sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind))) {
    const a = L.pos.get(e.from);
    const b = L.pos.get(e.to);
    if (!a || !b) continue;
    const g = edgeGeometry(a, b, e.from.startsWith('~') ? 44 : BOX_H, offsets[e.kind]);
    const streams = [...new Set(e.flows.map((f) => f.stream))];
    flows.append(
      svg('path', {
        class: `flow ${e.kind}`,
        d: g.d,
        'marker-end': `url(#arrow-${e.kind})`,
        'data-from': e.from.replace(/^~/, ''),
        'data-to': e.to,
        'data-kind': e.kind,
        'data-streams': streams.join(','),
      }),
    );
    const sorted = [...e.flows].sort((x, y) => x.stream.localeCompare(y.stream) || (x.startMs ?? 0) - (y.startMs ?? 0));
    const lines = sorted.slice(0, MAX_LABEL_LINES).map(flowText);
    if (sorted.length > MAX_LABEL_LINES) lines.push(`+${sorted.length - MAX_LABEL_LINES} more`);
    const sibling = Math.abs(a.y - b.y) < 1;
    const stackKey = sibling ? `${e.from}>${e.to}` : e.to;
    const below = stacks.get(stackKey) ?? 0;
    stacks.set(stackKey, below + lines.length);
    lines.forEach((line, i) => {
      // Stacked upwards from just above the receiving node (or down from the arc's middle).
      const y = sibling ? g.label.y + (below + i) * LINE_H : g.label.y - (below + lines.length - 1 - i) * LINE_H;
      labels.append(text(g.label.x, y, line, `flow-label ${e.kind}`));
    });
  }

  for (const p of L.pseudo) boxes.append(pseudoBox(p, L.pos.get(`~${p.id}`)));
  for (const n of snap.nodes) boxes.append(nodeBox(n, L.pos.get(n.id), snap));

  const picture = svg(
    'svg',
    {
      width: L.width,
      height: L.height,
      viewBox: `0 0 ${L.width} ${L.height}`,
      role: 'img',
      'aria-label': `the relay tree under ${snap.node}, where each stream flows`,
    },
    markers(),
    links,
    flows,
    boxes,
    labels,
  );
  $('picture').replaceChildren(picture);

  const failed = snap.nodes.filter((n) => n.state === 'failed').length;
  const draining = snap.nodes.filter((n) => n.state === 'draining').length;
  const viewers = snap.nodes.reduce((s, n) => s + n.viewers, 0);
  // How viewers reach the tree (docs/firewalls.md): through a TURN relay, over TCP.
  const share = (key) => (viewers ? `${Math.round((100 * snap.nodes.reduce((s, n) => s + (n[key] ?? 0), 0)) / viewers)}%` : '0%');
  const shifted = snap.nodes.reduce((s, n) => s + n.flows.filter((f) => f.startMs !== null && f.startMs !== undefined).length, 0);
  $('summary').textContent = [
    plural(snap.nodes.length, 'node'),
    failed && `${failed} failed`,
    draining && `${draining} draining`,
    plural(viewers, 'viewer'),
    viewers > 0 && `${share('viewersTurn')} on TURN, ${share('viewersTcp')} on TCP`,
    shifted && `${shifted} time-shifted ${shifted === 1 ? 'copy' : 'copies'}`,
    `updated ${clock(snap.at)}`,
    snap.truncated && 'some descendants left out (report size limit)',
  ]
    .filter(Boolean)
    .join(' · ');
  $('node').textContent = `live tree at ${snap.node}`;
  document.body.dataset.updates = String(Number(document.body.dataset.updates ?? 0) + 1);
}

function renderLegend() {
  const nodeSample = (cls) =>
    svg(
      'svg',
      { width: 46, height: 22, 'aria-hidden': 'true' },
      svg('g', { class: `node ${cls}` }, svg('rect', { class: 'box', x: 2, y: 2, width: 42, height: 18, rx: 4 })),
    );
  const edgeSample = (cls, kind) =>
    svg(
      'svg',
      { width: 46, height: 22, 'aria-hidden': 'true' },
      markers(),
      svg('path', { class: cls, d: 'M 2 11 L 40 11', ...(kind ? { 'marker-end': `url(#arrow-${kind})` } : {}) }),
    );
  const item = (sample, words) => {
    const li = document.createElement('li');
    const span = document.createElement('span');
    span.textContent = words;
    li.append(sample, span);
    return li;
  };
  $('legend').replaceChildren(
    item(nodeSample('up'), 'node up: id, level (L0 is the origin), viewers and relay links, CPU and media sent'),
    item(nodeSample('up self'), 'thick border: the node serving this page'),
    item(nodeSample('draining'), 'draining (shutting down): keeps its viewers, takes no new ones, children move away'),
    item(nodeSample('failed'), `failed: its link went down or its reports stopped; kept ${Math.round(failedKeepMs / 1000)} s, then removed`),
    item(edgeSample('flow parent', 'parent'), 'live stream pulled from the parent (label: stream · bitrate)'),
    item(edgeSample('flow sibling', 'sibling'), 'live stream pulled from a sibling relay'),
    item(edgeSample('flow timeshift', 'timeshift'), 'time-shifted session: one copy per start time (label: stream ⟲ from start · bitrate), not a duplicate'),
    item(edgeSample('flow publisher', 'publisher'), 'a publisher broadcasting into the origin (WHIP)'),
    item(edgeSample('link', null), 'relay link with nothing flowing'),
  );
}

// ---- The event stream ----

let failedKeepMs = 30_000;

/** Reads text/event-stream blocks (HTML Living Standard §9.2.6) and hands each 'tree' event on. */
async function readEvents(body, onTree, onBytes) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    onBytes();
    buf += value;
    let at;
    while ((at = buf.search(/\r?\n\r?\n/)) >= 0) {
      const block = buf.slice(0, at);
      buf = buf.slice(at + (buf[at] === '\r' ? 4 : 2));
      let event = 'message';
      const data = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (event === 'tree' && data.length) onTree(JSON.parse(data.join('\n')));
    }
  }
}

function showLogin(message) {
  setStatus(message, true);
  const form = $('login');
  form.hidden = false;
  $('token').focus();
}

async function run() {
  let delay = RETRY_FIRST_MS;
  for (;;) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const ctl = new AbortController();
    let watchdog = setTimeout(() => ctl.abort(new Error('no heartbeat')), SILENCE_MS);
    const alive = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => ctl.abort(new Error('no heartbeat')), SILENCE_MS);
    };
    try {
      const res = await fetch(EVENTS_URL, { headers: token ? { Authorization: `Bearer ${token}` } : {}, cache: 'no-store', signal: ctl.signal });
      if (res.status === 401) {
        clearTimeout(watchdog);
        sessionStorage.removeItem(TOKEN_KEY);
        showLogin(token ? 'the admin token was refused' : 'this node needs its admin token');
        return;
      }
      if (res.status === 403) {
        clearTimeout(watchdog);
        setStatus(`refused: ${(await res.text()).trim()}`, true);
        return;
      }
      if (!res.ok) throw new Error(`HTTP ${res.status}: ${(await res.text()).trim()}`);
      setStatus('live');
      delay = RETRY_FIRST_MS;
      await readEvents(
        res.body,
        (snap) => {
          failedKeepMs = snap.failedKeepMs ?? failedKeepMs;
          render(snap);
        },
        alive,
      );
      setStatus('the node ended the stream (closing?); reconnecting…', true);
    } catch (err) {
      setStatus(`disconnected (${err?.message ?? err}); retrying…`, true);
    } finally {
      clearTimeout(watchdog);
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, RETRY_MAX_MS);
  }
}

$('login').addEventListener('submit', (ev) => {
  ev.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
  $('token').value = '';
  $('login').hidden = true;
  setStatus('connecting…');
  void run();
});

takeToken();
renderLegend();
void run();
