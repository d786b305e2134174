import type { EnginePeer, FanoutGroup, PeerHandlers, RtcEngine } from './engine.js';
import type { IceGhost } from './IceTombstone.js';
import type { NativeStats } from './nativeAddon.js';

/**
 * Two engines behind one seam: WHEP viewers (PeerHandlers.role 'viewer') on one (the native
 * data plane), everything else (WHIP publishers) on the other (node-datachannel), unless
 * `everyone` puts publishers on the viewers' engine too (--publisher-engine native), or the
 * publisher's offer needs routing by payload type (PeerHandlers.payloadTypeRouting).
 */
export class ViewerRoutedEngine implements RtcEngine {
  constructor(
    readonly viewers: RtcEngine,
    readonly others: RtcEngine,
    readonly everyone = false,
  ) {}

  createPeer(id: string, handlers: PeerHandlers): EnginePeer {
    // A publisher whose simulcast layers only the payload type places goes to the viewers' engine
    // too: node-datachannel would deliver none of its layers (docs/abr.md "Audio beside simulcast").
    const toViewers = this.everyone || handlers.role === 'viewer' || handlers.payloadTypeRouting === true;
    return (toViewers ? this.viewers : this.others).createPeer(id, handlers);
  }

  /** Fan-out serves viewers: the viewers' engine's groups, when it has them. */
  get createFanout(): ((historyMs: number, codec?: string) => FanoutGroup) | undefined {
    const v = this.viewers;
    return v.createFanout ? (ms, codec) => v.createFanout!(ms, codec) : undefined;
  }

  get fanoutMoves(): boolean {
    return this.viewers.fanoutMoves === true;
  }

  sendFanoutReports(peer: EnginePeer): boolean {
    return this.viewers.sendFanoutReports?.(peer) ?? false;
  }

  nativeStats(): NativeStats | null {
    return this.viewers.nativeStats?.() ?? null;
  }

  get peerCount(): number {
    return this.viewers.peerCount + this.others.peerCount;
  }

  get liveTrackCount(): number {
    return this.viewers.liveTrackCount + this.others.liveTrackCount;
  }

  get tombstoneCount(): number {
    return this.viewers.tombstoneCount + this.others.tombstoneCount;
  }

  bury(ghost: IceGhost, holdMs?: number): void {
    // A ghost on the viewers' shared port is theirs; any other port is a publisher's.
    const port = (this.viewers as { port?: number }).port;
    (port === ghost.port ? this.viewers : this.others).bury(ghost, holdMs);
  }

  async close(): Promise<void> {
    await Promise.all([this.viewers.close(), this.others.close()]);
  }
}
