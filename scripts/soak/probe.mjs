// Memory probe for the soak (scripts/soak/memory.ts): preloaded into a node's process with
// `node --import ./scripts/soak/probe.mjs`, it writes the runtime's own view of its memory to the
// file named by CANOPY_SOAK_PROBE every CANOPY_SOAK_PROBE_MS (default 5 s): process.memoryUsage()
// and V8's heap spaces. The soak reads it beside /proc/PID/smaps, so that a node's RSS can be
// split into V8's heap, ArrayBuffers (window B's packets, socket reads) and the rest of malloc.
// Nothing here touches the node: a debugging aid outside src/, never loaded in production.
import { writeFileSync, renameSync } from 'node:fs';
import v8 from 'node:v8';

const file = process.env.CANOPY_SOAK_PROBE;
if (file) {
  const every = Number(process.env.CANOPY_SOAK_PROBE_MS ?? 5000);
  const write = () => {
    const spaces = {};
    for (const s of v8.getHeapSpaceStatistics()) spaces[s.space_name] = { size: s.space_size, used: s.space_used_size, physical: s.physical_space_size };
    const h = v8.getHeapStatistics();
    const body = JSON.stringify({
      at: Date.now(),
      memory: process.memoryUsage(),
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
