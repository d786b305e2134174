import { NdcEngine } from '../engine/NdcEngine.js';
import type { Logger } from '../log.js';
import type { CommonConfig } from '../options.js';

export function engineFromConfig(c: CommonConfig, logger: Logger): NdcEngine {
  return new NdcEngine({
    iceAddress: c.iceAddress,
    iceBind: c.iceBind,
    portRangeBegin: c.icePortMin,
    portRangeEnd: c.icePortMax,
    logger: logger.child({ component: 'engine' }),
  });
}

export function commonNodeOptions(c: CommonConfig) {
  return {
    id: c.id,
    listen: c.listen,
    clusterSecret: c.clusterSecret,
    heartbeatMs: c.heartbeat,
    maxFrameBytes: c.maxFrameBytes,
    startTimeoutMs: c.startTimeout,
    idleCloseAfterMs: c.idleCloseAfter,
    buffer: { windowMs: c.cacheWindow, maxBytes: c.cacheMaxBytes },
    absoluteLocation: c.absoluteLocation,
    fanoutSliceMs: c.fanoutSlice,
    sessionTimers: { connectTimeoutMs: c.sessionConnectTimeout, disconnectGraceMs: c.disconnectGrace },
  };
}
