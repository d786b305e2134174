/**
 * The soak's publishers, in their own process so their pacing does not share the soak's event
 * loop: one WHIP publisher of the bench fixture (671 kbit/s VP8 + Opus, keyframe every 1 s) per
 * stream, `tsx scripts/soak/publishers.ts ORIGIN_URL NAME...`. Prints "ready" when all publish.
 */
import { NodePublisher } from '../../test/support/NodePublisher.js';
import { DEFAULT_FIXTURE, readFixture } from '../../test/support/fixture.js';

const [origin, ...names] = process.argv.slice(2);
if (!origin || names.length === 0) {
  console.error('usage: publishers.ts ORIGIN_URL NAME...');
  process.exit(2);
}
const fixture = readFixture(DEFAULT_FIXTURE);
const pubs: NodePublisher[] = [];
// All at once: "many streams start at once" is one of the conditions the budget must hold in.
await Promise.all(
  names.map(async (name) => {
    const p = new NodePublisher({ url: `${origin}/whip/${name}`, fixture, retries: 5, name: `soak-${name}` });
    pubs.push(p);
    await p.start();
  }),
);
console.log('ready');
const stop = async (): Promise<void> => {
  await Promise.allSettled(pubs.map((p) => p.close()));
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
