/**
 * The ABR bench's Janus anchor against Debian's Janus itself (no browser): the streaming
 * configuration janus-simulcast.ts writes gives a simulcast mountpoint whose ports, as Janus
 * reads them, are those rtp_forward sends each substream to; the room exists; and Janus's
 * VideoRoom validates the rtp_forward request as well formed (it gets as far as looking up the
 * publisher).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { JanusClient } from '../../scripts/bench/janus-client.js';
import { freeUdpPort, JanusServer, janusVersion } from '../../scripts/bench/janus.js';
import { ANCHOR_MOUNTPOINT, ANCHOR_ROOM, ANCHOR_VIDEO_PT, rtpForwardRequest, streamingConfig, videoroomConfig } from '../../scripts/bench/janus-simulcast.js';

let janus: JanusServer | null = null;
let client: JanusClient | null = null;

afterEach(async () => {
  await client?.destroy();
  client = null;
  await janus?.stop();
  expect(janus?.running ?? false).toBe(false);
  janus = null;
});

describe.skipIf(!janusVersion())('the Janus anchor configuration (Janus 1.1)', () => {
  it('makes a simulcast mountpoint on the forwarded ports, and a room that takes rtp_forward', async () => {
    const ports: [number, number, number] = [await freeUdpPort(), await freeUdpPort(), await freeUdpPort()];
    const rtcpPort = await freeUdpPort();
    janus = await JanusServer.start({
      streaming: streamingConfig({ id: ANCHOR_MOUNTPOINT, iface: '127.0.0.1', ports, rtcpPort, pt: ANCHOR_VIDEO_PT }),
      videoroom: videoroomConfig(ANCHOR_ROOM),
    });
    client = new JanusClient(janus.apiUrl, () => undefined);

    const streaming = await client.attach();
    const info = (await client.request(streaming, { request: 'info', id: ANCHOR_MOUNTPOINT })).plugindata?.data?.info as {
      media: Array<Record<string, unknown>>;
    };
    const video = info.media.find((m) => m.type === 'video')!;
    expect(video).toMatchObject({ videosimulcast: true, codec: 'vp8', pt: ANCHOR_VIDEO_PT, rtcpport: rtcpPort });
    const forward = rtpForwardRequest({ room: ANCHOR_ROOM, publisherId: 99, mid: '0', host: '127.0.0.1', ports, rtcpPort, pt: ANCHOR_VIDEO_PT });
    const s = (forward.streams as Array<Record<string, unknown>>)[0]!;
    // Janus's substreams 0, 1, 2 on the mountpoint are rtp_forward's port, port_2, port_3.
    expect([video.port, video.port2, video.port3]).toEqual([s.port, s.port_2, s.port_3]);

    const room = await client.attach('janus.plugin.videoroom');
    expect((await client.request(room, { request: 'exists', room: ANCHOR_ROOM })).plugindata?.data?.exists).toBe(true);
    // Well formed: Janus validates every field, then finds no publisher 99 (a malformed request
    // fails validation first, with another message).
    await expect(client.request(room, forward)).rejects.toThrow(/No such feed \(99\)/);
  });
});
