/**
 * GET / on a node: a small self-contained HTML page saying what this node is and which
 * endpoints it answers, instead of a 404 for whoever follows a node's link. It names no
 * streams or peers (those are /api/state's, which may sit behind admin access); the tree
 * picture is the dashboard's (/dashboard/, behind the same admin access).
 */

import type { IncomingMessage, ServerResponse } from 'node:http';

export interface NodePageInfo {
  id: string;
  role: string;
  level: number | null;
  draining: boolean;
}

/** Answers GET / with the node page and returns true; any other request passes (false). */
export function serveNodePage(req: IncomingMessage, res: ServerResponse, path: readonly string[], node: () => NodePageInfo): boolean {
  if (path.length !== 0 || req.method !== 'GET') return false;
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(nodePage(node(), req.headers.host));
  return true;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function esc(v: unknown): string {
  return String(v).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export function nodePage(node: NodePageInfo, host: string | undefined): string {
  const role = node.role;
  const base = host ? `http://${host}` : '';
  const facts = [
    `level ${node.level ?? 'unknown (no parent link yet)'}`,
    node.draining ? '<strong>draining</strong>: not taking new viewers or links' : null,
  ].filter(Boolean);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5">
<title>Canopy ${esc(role)} ${esc(node.id)}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5rem auto; max-width: 52rem; padding: 0 1rem; color: #1d2320; }
code { font-family: ui-monospace, Menlo, monospace; }
.muted { color: #66706b; }
</style>
</head>
<body>
<h1>Canopy ${esc(role)} <code>${esc(node.id)}</code></h1>
<p>${facts.join(' · ')}</p>
<h2>Endpoints</h2>
<ul>
${role === 'origin' ? `<li>publish: <code>POST ${esc(base)}/whip/{stream}</code> (WHIP, RFC 9725; <code>Content-Type: application/sdp</code>)</li>\n` : ''}<li>watch: <code>POST ${esc(base)}/whep/{stream}[?start=TIME]</code> (WHEP) from any WHEP player${role === 'origin' ? ' (at the origin only with --serve-viewers)' : ''}</li>
<li>relay links: <code>${esc(base.replace(/^http/, 'ws'))}/relay</code></li>
<li>health: <a href="/healthz">/healthz</a>; live tree dashboard: <a href="/dashboard/">/dashboard/</a>; streams and peers: <a href="/api/state">/api/state</a>; Prometheus: <a href="/metrics">/metrics</a></li>
</ul>
<p class="muted">This page refreshes every 5 s.</p>
</body>
</html>
`;
}
