import type { Feed, Upstream } from './Feed.js';
import type { SourceKind } from './types.js';

/**
 * The one place that decides where a node gets a stream it does not have (patent [0031]-[0035],
 * claims 1, 3, 5): each role has one planner that tries its steps in a fixed order.
 *
 * - origin: the publisher, then (time-shift) its buffer, then its archive;
 * - relay: (time-shift within window B) its buffer, then a sibling, then its parents in order
 *   of preference; past window B straight up the parents with the bypass flag (claim 5).
 */
export interface UpstreamPlanner {
  /** Finds the feed's upstream; rejects with a coded error (NOT_FOUND, NOT_YET, UNAVAILABLE...). */
  open(feed: Feed): Promise<Upstream>;
  /** Where a feed that is still connecting is being pulled from, for /api/state. */
  pending?(feed: Feed): { kind: SourceKind; peer: string } | null;
}
