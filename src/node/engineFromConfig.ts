import { readFileSync } from 'node:fs';
import { parseOrigins } from '../auth/options.js';
import type { RtcEngine } from '../engine/engine.js';
import { NativeEngine } from '../engine/NativeEngine.js';
import { TlsIdentity } from '../http/TlsIdentity.js';
import { NdcEngine } from '../engine/NdcEngine.js';
import { IceServers } from '../auth/IceServers.js';
import { ViewerRoutedEngine } from '../engine/ViewerRoutedEngine.js';
import type { Logger } from '../log.js';
import { defaultCacheBudget } from '../media/CacheBudget.js';
import type { CommonConfig } from '../options.js';
import type { NodeSecurity } from './MediaNode.js';

export function engineFromConfig(c: CommonConfig, logger: Logger): RtcEngine {
  const log = logger.child({ component: 'engine' });
  const ndc = new NdcEngine({
    iceAddress: c.iceAddress,
    iceBind: c.iceBind,
    portRangeBegin: c.icePortMin,
    portRangeEnd: c.icePortMax,
    probes: c.layerProbes,
    logger: log,
  });
  if (c.engine !== 'native') {
    if (c.publisherEngine === 'native') log.warn('--publisher-engine native needs --engine native: publishers on node-datachannel');
    return ndc;
  }
  try {
    const native = new NativeEngine({
      iceAddress: c.iceAddress,
      iceBind: c.iceBind,
      port: c.iceUdpPort,
      ...(c.icePortMin && c.icePortMax ? { portRange: [c.icePortMin, c.icePortMax] as [number, number] } : {}),
      tcpPort: c.iceTcp ? c.iceTcpPort : -1,
      dataThreads: c.dataThreads,
      probes: c.layerProbes,
      logger: log,
    });
    const everyone = c.publisherEngine === 'native';
    log.info(
      { port: native.port, tcpPort: native.tcpPort || 'off', threads: c.dataThreads || 'cores', publishers: everyone ? 'native' : 'ndc' },
      'viewers on the native engine',
    );
    return new ViewerRoutedEngine(native, ndc, everyone);
  } catch (err) {
    // One warning, with the reason; node-datachannel serves viewers.
    log.warn(`native engine unavailable, node-datachannel serves viewers: ${(err as Error).message}`);
    return ndc;
  }
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
    mallocTrimMs: c.mallocTrim,
    hls: { leaseMs: c.hlsLease },
    buffer: { windowMs: c.cacheWindow, maxBytes: c.cacheMaxBytes, totalBytes: c.cacheMaxTotalBytes || defaultCacheBudget() },
    absoluteLocation: c.absoluteLocation,
    fanoutSliceMs: c.fanoutSlice,
    metricsMaxStreams: c.metricsMaxStreams,
    sessionTimers: { connectTimeoutMs: c.sessionConnectTimeout, disconnectGraceMs: c.disconnectGrace },
    security: nodeSecurity(c),
    iceServers: IceServers.fromConfig(c),
    recoverForMs: c.reconnectGrace,
    publicUrl: c.publicUrl,
    region: c.region,
    classes: c.classes,
    capacity: c.capacity,
    redirect: c.redirect,
    regionMap: c.regionMap,
    redirectLoadMargin: c.redirectLoadMargin,
    redirectMinViewers: c.redirectMinViewers,
    pipe: { listen: c.pipeListen ?? { host: c.listen.host, port: 0 }, mode: c.linkMedia, bind: c.linkMedia !== 'ws' },
    repair: { enabled: c.lossRepair, history: { windowMs: c.repairWindow, maxBytes: c.repairMaxBytes }, retransmitShare: c.retransmitShare },
  };
}

/** The listener-level security options of a node, with TLS files read (call once per server: SIGHUP reloads them). */
export function nodeSecurity(c: CommonConfig): NodeSecurity {
  const admin = parseOrigins(c.adminCorsOrigins);
  return {
    corsOrigins: parseOrigins(c.corsOrigins),
    adminCorsOrigins: admin === '*' ? [] : admin,
    adminToken: c.adminToken,
    adminListen: c.adminListen,
    tls: c.tlsCert && c.tlsKey ? new TlsIdentity({ cert: c.tlsCert, key: c.tlsKey }) : undefined,
    limits: { maxSessions: c.maxSessions, maxPending: c.maxPendingSessions, perIpPerSecond: c.maxNewSessionsPerIp },
    maxLinkSubscriptions: c.maxLinkSubscriptions,
  };
}

/** Extra CA certificates trusted for wss:// upstreams (--tls-ca). */
export function linkCa(c: CommonConfig): Buffer | undefined {
  return c.tlsCa ? readFileSync(c.tlsCa) : undefined;
}
