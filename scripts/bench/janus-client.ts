/**
 * A client of Janus's HTTP API for the streaming plugin, as the bench's viewers use it: one
 * Janus session per viewer process, one handle per viewer, one long-poll loop that hands each
 * handle its offer (attach, watch, answer with start). Shared by viewer-worker.ts and
 * sink-worker.ts.
 */
import { httpRequest, sleep } from '../../test/support/webrtc.js';

interface JanusReply {
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
  private polling = false;
  private pollErrors = 0;
  private stopped = false;

  constructor(
    readonly base: string,
    private readonly log: (msg: string) => void,
  ) {}

  private async post(path: string, body: Record<string, unknown>): Promise<JanusReply> {
    const res = await httpRequest('POST', `${this.base}${path}`, {
      body: JSON.stringify({ ...body, transaction: `t${++this.tx}` }),
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

  async attach(): Promise<number> {
    const s = await this.sessionId();
    const r = await this.post(`/${s}`, { janus: 'attach', plugin: 'janus.plugin.streaming' });
    return r.data!.id!;
  }

  /** Sends watch and resolves with Janus's offer. */
  async watch(handle: number, mountpoint: number): Promise<string> {
    const offer = new Promise<string>((resolve, reject) => this.offers.set(handle, { resolve, reject }));
    const timer = setTimeout(() => this.offers.get(handle)?.reject(new Error('no offer from janus within 10 s')), 10_000);
    try {
      const r = await this.post(`/${this.session}/${handle}`, { janus: 'message', body: { request: 'watch', id: mountpoint } });
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
