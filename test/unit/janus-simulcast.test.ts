import { describe, expect, it } from 'vitest';
import { ISSUE_LAYERS, type Encoding } from '../support/simulcastPage.js';
import { janusRidSlots, layerOfRid, layerOfSubstream, ridOrder, rtpForwardRequest, streamingConfig } from '../../scripts/bench/janus-simulcast.js';

/** The mountpoint's ports by substream, read back from the configuration text. */
function mountpointPorts(cfg: string): number[] {
  const item = (k: string): number => Number(new RegExp(`\\b${k} = (\\d+)`).exec(cfg)?.[1]);
  return [item('videoport'), item('videoport2'), item('videoport3')];
}

describe('the Janus anchor wiring (scripts/bench/janus-simulcast.ts)', () => {
  it('tells Janus the offer lists its rids lowest first, so that f is substream 2', () => {
    expect(ridOrder(ISSUE_LAYERS)).toBe('lmh');
    expect(ridOrder([...ISSUE_LAYERS].reverse())).toBe('hml');
    expect(layerOfRid(ISSUE_LAYERS)).toEqual({ q: 'low', h: 'mid', f: 'high' });
    expect(layerOfRid([...ISSUE_LAYERS].reverse())).toEqual({ q: 'low', h: 'mid', f: 'high' });
    // Without rid_order Janus reads the offer as "hml": q would be its top substream.
    expect(janusRidSlots(['q', 'h', 'f'], 'hml')).toEqual(['f', 'h', 'q']);
  });

  it('models Janus putting two rids on substreams 0 and 1 in either order', () => {
    expect(janusRidSlots(['lo', 'hi'], 'lmh')).toEqual(['lo', 'hi', null]);
    expect(janusRidSlots(['hi', 'lo'], 'hml')).toEqual(['lo', 'hi', null]);
    expect(janusRidSlots(['a', 'b', 'c', 'd'], 'lmh')).toEqual(['a', 'b', 'c']);
  });

  it('refuses encodings whose order rid_order cannot say', () => {
    const mixed: Encoding[] = [ISSUE_LAYERS[1]!, ISSUE_LAYERS[0]!, ISSUE_LAYERS[2]!];
    expect(() => ridOrder(mixed)).toThrow(/neither rise nor fall/);
    expect(() => ridOrder([ISSUE_LAYERS[0]!])).toThrow(/at least two/);
  });

  it('forwards each substream to the mountpoint port Janus reads as that substream', () => {
    const ports = [30000, 30002, 30004] as const;
    const req = rtpForwardRequest({ room: 1, publisherId: 7, mid: '0', host: '127.0.0.1', ports, rtcpPort: 30006, pt: 96 });
    const s = (req.streams as Array<Record<string, number | string>>)[0]!;
    // rtp_forward: port → substream 0, port_2 → 1, port_3 → 2 (janus_videoroom.c).
    const forwarded = [s.port, s.port_2, s.port_3];
    const cfg = streamingConfig({ id: 20, iface: '127.0.0.1', ports, rtcpPort: 30006, pt: 96 });
    expect(mountpointPorts(cfg)).toEqual(forwarded);
    expect(forwarded).toEqual([...ports]);
    // The top rid reaches the port of substream 2.
    const top = Object.entries(layerOfRid(ISSUE_LAYERS)).find(([, l]) => l === 'high')![0];
    expect(top).toBe('f');
    expect(mountpointPorts(cfg)[2]).toBe(s.port_3);
    // One stream forwarded per substream, not Janus's one picked stream (simulcast: true).
    expect(s.simulcast).toBeUndefined();
    expect(s.rtcp_port).toBe(30006);
    expect(cfg).toMatch(/videortcpport = 30006/);
    expect(cfg).toMatch(/videosimulcast = true/);
  });

  it('names the substream Janus reports forwarding', () => {
    expect([0, 1, 2].map(layerOfSubstream)).toEqual(['low', 'mid', 'high']);
    expect(layerOfSubstream(-1)).toBeNull();
    expect(layerOfSubstream(3)).toBeNull();
    expect(layerOfSubstream('2')).toBeNull();
  });
});
