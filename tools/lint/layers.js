// The import layering of Canopy (docs/architecture.md, "Layers"): a module may import its own
// layer's modules and those of lower layers, never a layer above it or beside it. A new upward
// import fails `npm run lint`, and with it CI.
import { dirname, relative, resolve } from 'node:path';

/**
 * Lowest first. Each entry is one layer unit: the paths it holds (repository-relative; a folder
 * holds everything under it) and its rank. Units of one rank may not import each other.
 */
export const LAYERS = [
  // Shared vocabulary: errors, log, metrics, addresses, config parsing, RTP/RTCP/SDP, generated protobuf.
  { name: 'base', rank: 0, paths: ['src/address.ts', 'src/config.ts', 'src/duration.ts', 'src/errors.ts', 'src/events.ts', 'src/faults.ts', 'src/log.ts', 'src/metrics.ts', 'src/rtcp.ts', 'src/rtp.ts', 'src/sdp.ts', 'src/gen'] },
  { name: 'auth', rank: 1, paths: ['src/auth'] },
  { name: 'media', rank: 1, paths: ['src/media'] },
  { name: 'discovery', rank: 1, paths: ['src/discovery'] },
  { name: 'engine', rank: 2, paths: ['src/engine'] },
  { name: 'link', rank: 2, paths: ['src/link'] },
  { name: 'codecs', rank: 2, paths: ['src/codecs.ts'] },
  { name: 'http', rank: 2, paths: ['src/http'] },
  { name: 'options', rank: 2, paths: ['src/options.ts'] },
  // RTP to access units, and fMP4 (docs/hls.md): used by HLS and the MP4 export.
  { name: 'mux', rank: 2, paths: ['src/mux'] },
  { name: 'pipe', rank: 3, paths: ['src/pipe'] },
  { name: 'tree', rank: 4, paths: ['src/tree'] },
  { name: 'session', rank: 4, paths: ['src/session'] },
  // HTTP views of media the node carries: LL-HLS (docs/hls.md), the archive as MP4 (docs/export.md).
  { name: 'hls', rank: 4, paths: ['src/hls'] },
  { name: 'export', rank: 4, paths: ['src/export'] },
  { name: 'node', rank: 5, paths: ['src/node', 'src/dashboard'] },
  // The programs: src/ never imports them, nor one the other.
  { name: 'origin', rank: 6, paths: ['origin'] },
  { name: 'relay', rank: 6, paths: ['relay'] },
];

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '../..');

function unitOf(absPath) {
  const rel = relative(ROOT, absPath).split('\\').join('/');
  // Longest match first, so a file entry wins over its folder.
  let best = null;
  let bestLen = -1;
  for (const unit of LAYERS) {
    for (const p of unit.paths) {
      const hit = rel === p || rel.startsWith(`${p}/`) || rel.replace(/\.js$/, '.ts') === p;
      if (hit && p.length > bestLen) {
        best = unit;
        bestLen = p.length;
      }
    }
  }
  return best;
}

function describe(unit) {
  return `${unit.name} (layer ${unit.rank}: ${unit.paths.join(', ')})`;
}

/** @type {import('eslint').Rule.RuleModule} */
const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports run downward only: a module imports its own layer or lower ones (docs/architecture.md)' },
    schema: [],
    messages: {
      upward: '{{from}} may not import {{to}}: imports run downward only (docs/architecture.md, Layers)',
      sideways: '{{from}} may not import {{to}}: units of one layer are independent (docs/architecture.md, Layers)',
    },
  },
  create(context) {
    const file = context.physicalFilename ?? context.filename;
    const from = unitOf(file);
    if (!from) return {};
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const to = unitOf(resolve(dirname(file), source.value));
      if (!to || to === from) return;
      if (to.rank > from.rank) context.report({ node, messageId: 'upward', data: { from: describe(from), to: describe(to) } });
      else if (to.rank === from.rank) context.report({ node, messageId: 'sideways', data: { from: describe(from), to: describe(to) } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source : null),
      TSImportType: (node) => check(node, node.argument?.literal ?? node.argument),
    };
  },
};

export default { rules: { layers: layersRule } };
