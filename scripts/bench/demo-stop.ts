/**
 * `node --import tsx scripts/bench/demo-stop.ts [--runs 20] [--hogs 2] [--base-port 18000] [--command CMD]`
 *
 * Issue 18: starts the demo with `npm start` while CPU hogs load the machine, stops it (SIGINT
 * to its process group as Ctrl-C does, SIGTERM, SIGHUP, its npm killed, the demo itself
 * killed; in turn), and counts the stops that left nothing: no node process, no listening
 * port, no temporary archive. --command runs another launcher (an older demo, for a before
 * figure).
 */
import { parseArgs } from 'node:util';
import { cpuHogs, STOP_METHODS, stopOnce, type StopResult } from '../demo/stopCheck.js';

const { values: a } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    hogs: { type: 'string', default: '2' },
    'base-port': { type: 'string', default: '18000' },
    command: { type: 'string' },
    methods: { type: 'string' },
  },
});
const methods = a.methods ? (a.methods.split(',') as (typeof STOP_METHODS)[number][]) : [...STOP_METHODS];
const runs = Number(a.runs);
const hogs = cpuHogs(Number(a.hogs));
const results: StopResult[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const method = methods[i % methods.length]!;
    const r = await stopOnce(method, { basePort: Number(a['base-port']), command: a.command });
    results.push(r);
    console.log(
      `run ${i + 1}/${runs} ${method.padEnd(13)} up in ${(r.startMs / 1000).toFixed(1)} s; ${r.cleanMs !== null ? `clean ${r.cleanMs} ms after the stop` : `LEFT: ${r.left.join(', ')}`}`,
    );
  }
} finally {
  hogs.stop();
}
const clean = results.filter((r) => r.cleanMs !== null);
const times = clean.map((r) => r.cleanMs!).sort((x, y) => x - y);
console.log(
  `\n${clean.length} of ${results.length} stops left nothing running (${a.hogs} CPU hogs); time to clean: median ${times[Math.floor(times.length / 2)] ?? '-'} ms, max ${times.at(-1) ?? '-'} ms`,
);
for (const m of methods) {
  const of = results.filter((r) => r.method === m);
  console.log(`  ${m.padEnd(13)} ${of.filter((r) => r.cleanMs !== null).length}/${of.length}`);
}
process.exit(clean.length === results.length ? 0 : 1);
