/**
 * A publisher and a viewer in a process of their own, for the TLS test: it trusts the test's
 * CA through NODE_EXTRA_CA_CERTS (fetch has no per-request CA), which this process sets at start.
 *
 *   NODE_EXTRA_CA_CERTS=ca.pem node --import tsx test/support/tlsClient.ts <whip-url> <whep-url>
 *
 * Prints one JSON line: {"video": packets received at the viewer, "status": WHEP status}.
 */
import { NodePublisher } from './NodePublisher.js';
import { NodeViewer } from './NodeViewer.js';
import { DEFAULT_FIXTURE } from './fixture.js';

const [whip, whep] = process.argv.slice(2);
const pub = new NodePublisher({ url: whip!, fixture: DEFAULT_FIXTURE });
const viewer = new NodeViewer({ url: whep! });
let out: Record<string, unknown> = {};
try {
  await pub.start();
  const { status } = await viewer.start();
  out.status = status;
  await viewer.waitFor(() => viewer.video.packets >= 50, 15_000, 'video over TLS');
  out.video = viewer.video.packets;
} catch (err) {
  out = { ...out, error: (err as Error).message };
} finally {
  await viewer.close();
  await pub.close();
}
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exit(0);
