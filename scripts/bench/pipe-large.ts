/**
 * How much of a real WebRTC publisher's media crosses a UDP pipe link, and how much still goes
 * over TCP (issue 17: packets over 1,200 bytes used to leave the pipe).
 *
 *   npx tsx scripts/bench/pipe-large.ts [--publisher fixture|aiortc] [--seconds 30] [--width 1280 --height 720] [--out FILE]
 *
 * An origin, a level-1 relay and a level-2 relay in this process, every link on
 * `--link-media udp`; a publisher at the origin; one viewer at the level-2 relay. Publishers:
 *  - fixture (default, repeatable): test/support's NodePublisher replaying the 2 Mbit/s recording
 *    with its full-size video packets padded to aiortc's 1,300 octets (test/support/largePackets.ts);
 *  - aiortc: scripts/interop/aiortc_whip.py (VP8 1280x720 30 fps and opus, video packets of up
 *    to 1,300 octets); its bit rate wanders, so its figures vary from run to run.
 * Over the window, at the level-2 relay's link to the level-1 relay:
 *  - tcp_bytes: bytes read from the link's TCP socket (WebSocket frames: control and any media);
 *  - ws_media_bytes / ws_media_packets: RTP carried in WebSocket Media frames;
 *  - pipe_packets: datagrams the relay authenticated on its pipes;
 *  - rtp_bytes: RTP bytes the relay's feeds received (every path);
 *  - ws_media_largest: the largest RTP packet that came in a Media frame;
 *  - viewer_video_packets / viewer_video_mean_bytes: video at the viewer (as re-sent by the relay).
 * Needs python3-aiortc.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { canopy } from '../../src/gen/link.js';
import { largePacketFixture } from '../../test/support/largePackets.js';
import { NodePublisher } from '../../test/support/NodePublisher.js';
import { NodeViewer } from '../../test/support/NodeViewer.js';
import { startTree } from '../../test/support/tree.js';
import { sleep, waitFor } from '../../test/support/webrtc.js';

const { values } = parseArgs({
  options: {
    publisher: { type: 'string', default: 'fixture' },
    seconds: { type: 'string', default: '30' },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '720' },
    out: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const WHIP = fileURLToPath(new URL('../interop/aiortc_whip.py', import.meta.url));

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n'))
    if (line.startsWith(name) && (line[name.length] === ' ' || line[name.length] === '{')) sum += Number(line.split(' ').pop());
  return sum;
}

const tree = await startTree({ level1: 1, level2PerLevel1: 1, flags: ['--link-media', 'udp'] });
const [l1, l2] = tree.relays as [NonNullable<(typeof tree.relays)[0]>, NonNullable<(typeof tree.relays)[0]>];
const aiortc = values.publisher === 'aiortc';
const publisher = aiortc
  ? spawn(
      '/usr/bin/python3',
      [WHIP, `${tree.origin.url}/whip/cam`, '--seconds', String(seconds + 30), '--audio', '--width', values.width!, '--height', values.height!],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
  : null;
let stderr = '';
publisher?.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
const fixturePublisher = aiortc ? null : new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: largePacketFixture() });
const viewer = new NodeViewer({ url: `${l2.url}/whep/cam` });
try {
  await waitFor(() => l1.parents.current?.link.mediaPath === 'udp' && l2.parents.current?.link.mediaPath === 'udp', 10_000, 20, 'pipes up');
  if (fixturePublisher) await fixturePublisher.start();
  else await waitFor(() => stderr.includes('whip: connected'), 30_000, 50, `aiortc connected (${stderr})`);
  await waitFor(async () => (await viewer.start()).status === 201, 10_000, 500, 'viewer admitted');
  await viewer.waitFor(() => viewer.video.packets > 100, 20_000, 'video at the viewer');

  const link = l2.parents.current!.link.link!;
  const socket = (link as unknown as { ws: { _socket: { bytesRead: number } } }).ws._socket;
  let wsMediaBytes = 0;
  let wsMediaPackets = 0;
  let largest = 0;
  link.on('frame', (f: canopy.link.v1.Frame) => {
    if (f.media?.rtp) {
      wsMediaBytes += f.media.rtp.length;
      wsMediaPackets++;
      largest = Math.max(largest, f.media.rtp.length);
    }
  });
  const tcp0 = socket.bytesRead;
  const pipe0 = await metric(l2.url, 'canopy_pipe_packets_received_total');
  const rtp0 = await metric(l2.url, 'canopy_bytes_in_total');
  const videoBytes0 = viewer.video.bytes;
  const videoPackets0 = viewer.video.packets;
  await sleep(seconds * 1000);
  const result = {
    publisher: values.publisher,
    seconds,
    tcp_bytes: socket.bytesRead - tcp0,
    ws_media_bytes: wsMediaBytes,
    ws_media_packets: wsMediaPackets,
    pipe_packets: (await metric(l2.url, 'canopy_pipe_packets_received_total')) - pipe0,
    rtp_bytes: (await metric(l2.url, 'canopy_bytes_in_total')) - rtp0,
    ws_media_largest: largest,
    pipe_fallbacks: (await metric(l2.url, 'canopy_pipe_fallbacks_total')) + (await metric(l1.url, 'canopy_pipe_fallbacks_total')),
    pipe_dropped: await metric(l2.url, 'canopy_pipe_packets_dropped_total'),
    pipe_unrepaired: await metric(l2.url, 'canopy_pipe_unrepaired_total'),
    viewer_video_packets: viewer.video.packets - videoPackets0,
    viewer_video_mean_bytes: Math.round((viewer.video.bytes - videoBytes0) / Math.max(1, viewer.video.packets - videoPackets0)),
  };
  console.log(JSON.stringify(result));
  if (values.out) writeFileSync(values.out, JSON.stringify(result, null, 2));
} finally {
  publisher?.kill('SIGTERM');
  await fixturePublisher?.close();
  await viewer.close();
  await tree.close();
  // node-datachannel's threads keep the process alive after its peers closed.
  process.exit(process.exitCode ?? 0);
}
