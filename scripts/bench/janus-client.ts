/**
 * A client of Janus's HTTP API for the streaming plugin, as the bench's viewers use it: one
 * Janus session per viewer process, one handle per viewer, one long-poll loop that hands each
 * handle its offer (attach, watch, answer with start). Shared by viewer-worker.ts and
 * sink-worker.ts; the ABR bench's Janus anchor (janus-abr.ts) also drives the VideoRoom plugin
 * with it (request: a plugin message answered by an asynchronous event).
 */
import { httpRequest, sleep } from '../../test/support/webrtc.js';

export interface JanusReply {
  janus: string;
  transaction?: string;
  sender?: number;
  data?: { id?: number };
  error?: { code: number; reason: string };
  plugindata?: { data?: Record<string, unknown> };
  jsep?: { type: string; sdp: string };
}

export class JanusClient {
  session: number | undefined;
  private starting: Promise<number> | undefined;
  private tx = 0;
  private readonly offers = new Map<number, { resolve: (sdp: string) => void; reject: (e: Error) => void }>();
  /** Plugin messages waiting for their asynchronous event (Janus echoes the request's transaction). */
  private readonly pending = new Map<string, { resolve: (ev: JanusReply) => void; reject: (e: Error) => void }>();
  /** Called with every event from the long poll (e.g. the streaming plugin's substream changes). */
  onPluginEvent: ((ev: JanusReply) => void) | null = null;
  private polling = false;
  private pollErrors = 0;
  private stopped = false;

  constructor(
    readonly base: string,
    private readonly log: (msg: string) => void,
  ) {}

  private async post(path: string, body: Record<string, unknown>, transaction = `t${++this.tx}`): Promise<JanusReply> {
    const res = await httpRequest('POST', `${this.base}${path}`, {
      body: JSON.stringify({ ...body, transaction }),
      contentType: 'application/json',
      timeoutMs: 15_000,
    });
    const r = JSON.parse(res.body) as JanusReply;
    if (r.janus === 'error') throw new Error(`janus ${String(body.janus)}: ${r.error?.code} ${r.error?.reason}`);
    return r;
  }

  sessionId(): Promise<number> {
    this.starting ??= this.post('', { janus: 'create' }).then((r) => {
      this.session = r.data!.id!;
      void this.poll();
      return this.session;
    });
    return this.starting;
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    while (!this.stopped) {
      try {
        const res = await httpRequest('GET', `${this.base}/${this.session}?maxev=50&rid=${Date.now()}`, { timeoutMs: 70_000 });
        const parsed = JSON.parse(res.body) as JanusReply | JanusReply[];
        for (const ev of Array.isArray(parsed) ? parsed : [parsed]) this.onEvent(ev);
      } catch (e) {
        if (this.stopped) break;
        if (++this.pollErrors <= 3) this.log(`janus long poll: ${(e as Error).message}`);
        await sleep(Math.min(5000, 200 * this.pollErrors));
      }
    }
  }

  private onEvent(ev: JanusReply): void {
    if (ev.sender === undefined) return;
    const tx = ev.transaction === undefined ? undefined : this.pending.get(ev.transaction);
    if (tx && ev.janus === 'event') {
      this.pending.delete(ev.transaction!);
      const error = ev.plugindata?.data?.error;
      if (typeof error === 'string') tx.reject(new Error(`janus: ${error}`));
      else tx.resolve(ev);
      return;
    }
    try {
      this.onPluginEvent?.(ev);
    } catch (e) {
      this.log(`janus event listener: ${(e as Error).message}`);
    }
    const waiter = this.offers.get(ev.sender);
    if (!waiter) return;
    if (ev.jsep?.type === 'offer') {
      this.offers.delete(ev.sender);
      waiter.resolve(ev.jsep.sdp);
      return;
    }
    const data = ev.plugindata?.data;
    if (data && typeof data.error === 'string') {
      this.offers.delete(ev.sender);
      waiter.reject(new Error(`janus: ${data.error}`));
    }
  }

  async attach(plugin = 'janus.plugin.streaming'): Promise<number> {
    const s = await this.sessionId();
    const r = await this.post(`/${s}`, { janus: 'attach', plugin });
    return r.data!.id!;
  }

  /**
   * A plugin message; resolves with the plugin's answer: the synchronous reply when it carries
   * one (e.g. VideoRoom's rtp_forward), else the asynchronous event with the same transaction
   * (join, publish). A plugin error in either rejects.
   */
  async request(handle: number, body: Record<string, unknown>, jsep?: Record<string, unknown>, timeoutMs = 15_000): Promise<JanusReply> {
    const transaction = `t${++this.tx}`;
    const event = new Promise<JanusReply>((resolve, reject) => this.pending.set(transaction, { resolve, reject }));
    // A timeout while the POST is still out is read when it returns, not reported as unhandled.
    event.catch(() => undefined);
    const timer = setTimeout(
      () => this.pending.get(transaction)?.reject(new Error(`no answer from janus to ${String(body.request)} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    try {
      const r = await this.post(`/${this.session}/${handle}`, { janus: 'message', body, ...(jsep ? { jsep } : {}) }, transaction);
      if (r.janus === 'success') {
        const error = r.plugindata?.data?.error;
        if (typeof error === 'string') throw new Error(`janus ${String(body.request)}: ${error}`);
        return r;
      }
      return await event;
    } finally {
      clearTimeout(timer);
      this.pending.delete(transaction);
    }
  }

  /** Sends watch (with `extra` fields, e.g. a simulcast substream) and resolves with Janus's offer. */
  async watch(handle: number, mountpoint: number, extra: Record<string, unknown> = {}): Promise<string> {
    const offer = new Promise<string>((resolve, reject) => this.offers.set(handle, { resolve, reject }));
    const timer = setTimeout(() => this.offers.get(handle)?.reject(new Error('no offer from janus within 10 s')), 10_000);
    try {
      const r = await this.post(`/${this.session}/${handle}`, { janus: 'message', body: { ...extra, request: 'watch', id: mountpoint } });
      if (r.jsep?.type === 'offer') return r.jsep.sdp;
      return await offer;
    } finally {
      clearTimeout(timer);
      this.offers.delete(handle);
    }
  }

  async start(handle: number, answer: string): Promise<void> {
    await this.post(`/${this.session}/${handle}`, { janus: 'message', body: { request: 'start' }, jsep: { type: 'answer', sdp: answer } });
  }

  async detach(handle: number): Promise<void> {
    try {
      await this.post(`/${this.session}/${handle}`, { janus: 'detach' });
    } catch {
      // gone already
    }
  }

  async destroy(): Promise<void> {
    this.stopped = true;
    if (this.session === undefined) return;
    try {
      await this.post(`/${this.session}`, { janus: 'destroy' });
    } catch {
      // ignore
    }
  }
}
