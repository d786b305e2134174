/**
 * Window B's memory in slabs (docs/scale.md, "Memory"): a TimeBuffer copies the packets it keeps
 * into fixed-size slabs and hands its slabs back here when eviction empties them; the next packet
 * of any stream at the node is copied into a slab from here.
 *
 * Why: kept one ArrayBuffer per packet, window B cost ~480 bytes of bookkeeping per packet (the
 * ArrayBuffer and its backing store, the typed array, malloc's header), and what eviction freed
 * was garbage V8 returns only at a major GC, which its heuristics start once external memory has
 * grown by 64 MiB: a full window B at a relay carried that much dead media on top of its budget,
 * spread over glibc's heap in packet-sized holes. Recycled slabs make no garbage at all at a node
 * whose window B is full (the steady state), and a packet costs its bytes and one small record.
 *
 * A slab goes back only when no packet in it is held; readers get copies (TimeBuffer.packetAt),
 * never a view into a slab, so a recycled slab can hold nobody's data.
 */
export const SLAB_BYTES = 16 * 1024;
/** Larger packets get an array of their own (a link frame may carry up to 64 KiB). */
export const MAX_SLAB_PACKET = SLAB_BYTES / 4;

export class SlabPool {
  private readonly free: Uint8Array[] = [];
  /** Slabs made since start (the rest were reused). */
  made = 0;
  reused = 0;

  /** @param maxFree slabs kept for reuse at most; beyond, a returned slab is left to the GC. */
  constructor(readonly maxFree = 256) {}

  take(): Uint8Array {
    const s = this.free.pop();
    if (s) {
      this.reused++;
      return s;
    }
    this.made++;
    // allocUnsafeSlow: never a slice of Node's shared 8 KiB pool.
    return Buffer.allocUnsafeSlow(SLAB_BYTES);
  }

  give(slab: Uint8Array): void {
    if (slab.byteLength === SLAB_BYTES && this.free.length < this.maxFree) this.free.push(slab);
  }

  /** Bytes held in free slabs (waiting for reuse). */
  get freeBytes(): number {
    return this.free.length * SLAB_BYTES;
  }
}
