// Memory probe for the soak (scripts/soak/memory.ts): preloaded into a node's process with
// `node --import ./scripts/soak/probe.mjs`, it writes the runtime's own view of its memory to the
// file named by CANOPY_SOAK_PROBE every CANOPY_SOAK_PROBE_MS (default 5 s): process.memoryUsage()
// and V8's heap spaces. The soak reads it beside /proc/PID/smaps, so that a node's RSS can be
// split into V8's heap, ArrayBuffers (window B's packets, socket reads) and the rest of malloc.
// Nothing here touches the node: a debugging aid outside src/, never loaded in production.
import { existsSync, writeFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import v8 from 'node:v8';

const file = process.env.CANOPY_SOAK_PROBE;
if (file) {
  // The native addon's malloc figure (bytes in use over every arena), when it is built and has it.
  const addonPath = new URL('../../build/Release/canopy_native.node', import.meta.url).pathname;
  let mallocInUse = () => null;
  try {
    if (existsSync(addonPath)) {
      const addon = createRequire(import.meta.url)(addonPath);
      if (typeof addon.mallocInUse === 'function') mallocInUse = () => addon.mallocInUse();
    }
  } catch {
    // no addon: no figure
  }
  const every = Number(process.env.CANOPY_SOAK_PROBE_MS ?? 5000);
  const write = () => {
    // CANOPY_SOAK_PROBE_GC (with node --expose-gc): a full collection first, so heapUsed is what
    // is live, not what the last collection left (viewer-memory.ts).
    if (process.env.CANOPY_SOAK_PROBE_GC && typeof globalThis.gc === 'function') globalThis.gc();
    const spaces = {};
    for (const s of v8.getHeapSpaceStatistics()) spaces[s.space_name] = { size: s.space_size, used: s.space_used_size, physical: s.physical_space_size };
    const h = v8.getHeapStatistics();
    const body = JSON.stringify({
      at: Date.now(),
      memory: process.memoryUsage(),
      mallocInUse: mallocInUse(),
      heap: {
        total: h.total_heap_size,
        physical: h.total_physical_size,
        used: h.used_heap_size,
        malloced: h.malloced_memory,
        peakMalloced: h.peak_malloced_memory,
        external: h.external_memory,
      },
      spaces,
    });
    // Whole files only: the soak may read between two writes.
    writeFileSync(`${file}.tmp`, body);
    renameSync(`${file}.tmp`, file);
  };
  setInterval(write, every).unref();
  write();
}
