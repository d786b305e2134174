import type { TrackSpec } from '../../src/engine/engine.js';
import { NativeEngine } from '../../src/engine/NativeEngine.js';

/**
 * Whether the native addon loaded, for the native engine's own tests to skip on. CI builds the
 * addon: there a missing addon is a failure, not a skip.
 */
export function nativeAvailable(): ReturnType<typeof NativeEngine.available> {
  const available = NativeEngine.available();
  if (!available.ok && process.env.CI) throw new Error(`native addon missing in CI: ${available.why}`);
  return available;
}

/** The VP8 video track those tests send a viewer (SSRC 1234), with whatever a test adds. */
export function vp8Spec(extra: Partial<TrackSpec> = {}): TrackSpec {
  return {
    mid: '0',
    kind: 'video',
    direction: 'sendonly',
    codec: { payloadType: 96, name: 'VP8', clockRate: 90000, channels: 0, fmtp: '' },
    ssrc: 1234,
    cname: 'c',
    msid: 's',
    ...extra,
  };
}
