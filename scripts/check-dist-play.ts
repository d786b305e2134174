// Used by scripts/check-dist.sh: against an origin and a relay started from the built package
// (dist/, production dependencies only), publish the test fixture over WHIP, play it over WHEP
// at the relay, then SIGTERM the relay and check its drain: /healthz reports draining, a new
// viewer gets 503, the current viewer keeps receiving until it leaves, then the relay closes.
// The clients come from the test support (dev dependencies), the nodes from dist/.
import { parseArgs } from 'node:util';
import { DEFAULT_FIXTURE } from '../test/support/fixture.js';
import { NodePublisher } from '../test/support/NodePublisher.js';
import { NodeViewer } from '../test/support/NodeViewer.js';
import { cleanupNodeDataChannel, sleep, waitFor } from '../test/support/webrtc.js';

const { values } = parseArgs({
  options: { origin: { type: 'string' }, relay: { type: 'string' }, 'relay-pid': { type: 'string' }, token: { type: 'string' } },
});
const origin = values.origin!;
const relay = values.relay!;
const relayPid = Number(values['relay-pid']);

/** Whether the relay still answers HTTP (its pid alone can't tell: an exited child stays a zombie until reaped). */
async function answering(): Promise<boolean> {
  try {
    await fetch(`${relay}/healthz`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`check failed: ${what}`);
  console.log(`ok: ${what}`);
}

const pub = new NodePublisher({ url: `${origin}/whip/check`, fixture: DEFAULT_FIXTURE, token: values.token });
const viewer = new NodeViewer({ url: `${relay}/whep/check` });
try {
  await pub.start();
  const r = await viewer.start();
  check(
    r.status === 201,
    r.status === 201 ? 'WHEP at the relay answers 201' : `WHEP at the relay answers 201 (got ${r.status} ${r.body.trim().slice(0, 200)})`,
  );
  await waitFor(() => viewer.video.keyframes > 0 && viewer.audio.packets > 0, 10_000, 100, 'video keyframe and audio at the viewer');
  check(true, `the viewer plays: ${viewer.video.packets} video and ${viewer.audio.packets} audio packets`);

  process.kill(relayPid, 'SIGTERM');
  await waitFor(async () => (await fetch(`${relay}/healthz`)).status === 503, 5000, 50, 'healthz 503 while draining');
  const health = (await (await fetch(`${relay}/healthz`)).json()) as { draining?: boolean };
  check(health.draining === true, 'draining relay: /healthz answers 503 {"draining": true}');
  const late = await fetch(`${relay}/whep/check`, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: viewer.offerSdp });
  check(late.status === 503 && late.headers.get('retry-after') !== null, `draining relay: a new viewer gets 503 with Retry-After (got ${late.status})`);
  const before = viewer.video.packets;
  await sleep(1500);
  check(
    viewer.video.packets > before && (await answering()),
    `draining relay: the current viewer keeps receiving (${viewer.video.packets - before} packets in 1.5 s)`,
  );
  await viewer.close();
  await waitFor(async () => !(await answering()), 5000, 50, 'the relay to close after its last viewer left');
  check(true, 'the drained relay closed once its last viewer left');
} finally {
  await viewer.close();
  await pub.close();
  await cleanupNodeDataChannel();
}
process.exit(0);
