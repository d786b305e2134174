/**
 * Manual interop runs: starts an in-process tree (origin, 1 level-1 relay, 1 level-2 relay)
 * and prints its URLs, until Ctrl-C.
 *
 *   CANOPY_TEST_LOG=debug npx tsx scripts/interop/tree.ts
 *   /usr/bin/python3 scripts/interop/aiortc_whip.py <origin>/whip/live --seconds 30 &
 *   /usr/bin/python3 scripts/interop/aiortc_whep.py <level-2 relay>/whep/live --seconds 5
 */
import { startTree } from '../../test/support/tree.js';

const tree = await startTree({ level1: 1, level2PerLevel1: 1 });
console.log(JSON.stringify({ origin: tree.origin.url, relays: tree.relays.map((r) => ({ url: r.url, level: r.level })) }));
const stop = async (): Promise<void> => {
  await tree.close();
  try {
    await tree.assertEmpty();
    console.log('registries empty');
  } catch (e) {
    console.log((e as Error).message);
  }
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
