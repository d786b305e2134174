/**
 * Export memory (issue 22, docs/export.md): does the origin's memory stay flat while a long MP4
 * export streams, whatever its length? Publishes `h264-opus-400k.rtp` over WHIP to an origin
 * with --data-dir for --minutes, then exports 60 s and the whole recording
 * (`/archive/cam.mp4?start=T&duration=S`), each read to the end by a slow-enough client (the
 * file is written to disk), sampling the origin's RSS every 100 ms. Prints each export's size,
 * time and RSS before / max / after, and ffprobe's duration.
 *
 *   npx tsx scripts/bench/export-memory.ts [--minutes 5]
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { fixturePath } from '../../test/support/fixture.js';
import { CanopyNode, PublisherWorker, sleep } from './procs.js';
import { round } from './stats.js';

const { values: args } = parseArgs({ options: { minutes: { type: 'string', default: '5' } } });
const MINUTES = Number(args.minutes);
const STREAM = 'cam';

const work = mkdtempSync(join(tmpdir(), 'canopy-export-memory-'));
let origin: CanopyNode | null = null;
let publisher: PublisherWorker | null = null;
try {
  origin = await CanopyNode.start({ id: 'origin', role: 'origin', flags: ['--data-dir', join(work, 'archive')] });
  publisher = await PublisherWorker.start('publisher', { mode: 'whip', url: `${origin.url}/whip/${STREAM}`, fixture: fixturePath('h264-opus-400k.rtp') });
  const start = Date.now() + 2000;
  console.log(`publishing ${MINUTES} min`);
  await sleep(MINUTES * 60_000 + 4000);
  const node = origin;
  for (const seconds of [60, MINUTES * 60]) {
    const file = join(work, `export-${seconds}.mp4`);
    const rss: number[] = [node.rss()];
    const sampler = setInterval(() => rss.push(node.rss()), 100);
    const t0 = Date.now();
    const res = await fetch(`${node.url}/archive/${STREAM}.mp4?start=${start}&duration=${seconds}`);
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(file));
    const took = Date.now() - t0;
    clearInterval(sampler);
    await sleep(1000);
    rss.push(node.rss());
    const p = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' });
    console.log(
      JSON.stringify({
        export_s: seconds,
        status: res.status,
        bytes: statSync(file).size,
        ffprobe_duration_s: Number(p.stdout.trim()),
        took_ms: took,
        origin_rss_mb: { before: round(rss[0]!, 1), max: round(Math.max(...rss), 1), after: round(rss[rss.length - 1]!, 1) },
        load: round(loadavg()[0]!, 2),
      }),
    );
  }
} finally {
  await publisher?.shutdown().catch(() => undefined);
  await origin?.stop().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}
