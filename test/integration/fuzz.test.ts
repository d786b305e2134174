import { connect } from 'node:net';
import { request } from 'node:http';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOffer } from '../support/offer.js';
import { startTree, type Tree } from '../support/tree.js';
import { waitFor } from '../support/webrtc.js';

// Finding 6: bad input gave 500s, logged at error, and an oversize chunked body was cut off
// with no answer. A client's mistake is a 4xx with a one-line reason; nothing hostile makes
// a node answer 5xx, log an error or fall over.

let tree: Tree;
const errorLogs: string[] = [];
let whipOffer = '';
let whepOffer = '';

beforeAll(async () => {
  // Errors (level >= 50) from any node end up here; warnings and below are not kept.
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n')) if (line && JSON.parse(line).level >= 50) errorLogs.push(line);
      cb();
    },
  });
  const logger = pino({ level: 'error' }, sink);
  // No admission limits and no start-up grace here: a 503 ("not yet") would hide a 5xx from a
  // real fault.
  tree = await startTree({
    level1: 1,
    level2PerLevel1: 0,
    serveViewers: true,
    logger,
    flags: ['--max-pending-sessions', '0', '--max-sessions', '0', '--session-connect-timeout', '2s'],
    originFlags: ['--startup-grace', '0'],
  });
  whipOffer = await makeOffer({ direction: 'SendOnly' });
  whepOffer = await makeOffer({ direction: 'RecvOnly' });
  expect((await send({ method: 'POST', url: `${tree.origin.url}/whip/cam`, headers: { 'Content-Type': 'application/sdp' }, body: whipOffer })).status).toBe(
    201,
  );
}, 30_000);

afterAll(async () => {
  await tree?.close();
  await tree?.assertEmpty();
}, 30_000);

interface Sent {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  chunked?: boolean;
}

/** One request on its own connection; status 0 when the server closed it without an answer. */
function send(r: Sent): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    let req;
    try {
      req = request(r.url, { method: r.method, agent: false, headers: r.headers, timeout: 15_000 }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, text }));
      });
    } catch {
      return resolve({ status: -1, text: 'client refused to send it' });
    }
    req.on('error', () => resolve({ status: 0, text: '' }));
    req.on('timeout', () => req.destroy());
    if (r.body !== undefined) {
      if (r.chunked) {
        const body = Buffer.from(r.body);
        for (let i = 0; i < body.length; i += 8192) req.write(body.subarray(i, i + 8192));
      } else req.write(r.body);
    }
    req.end();
  });
}

/** Raw bytes as a request; the status line of the answer, or 0 if none came. */
function sendRaw(port: number, bytes: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('error', () => undefined);
    s.on('close', () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(got)?.[1] ?? 0)));
    s.setTimeout(3000, () => s.destroy());
    s.end(bytes);
  });
}

describe('bad input', () => {
  it('answers malformed percent-encoding and out-of-range times with 400 and a one-line reason', async () => {
    const cases = [
      ['POST', `${tree.relays[0]!.url}/whep/%ZZ`],
      ['POST', `${tree.relays[0]!.url}/whep/%`],
      ['POST', `${tree.origin.url}/whip/%ZZ`],
      ['DELETE', `${tree.origin.url}/whip/cam/%E0%A4%A`],
      ['POST', `${tree.relays[0]!.url}/whep/cam?start=99999999999999999999999`],
      ['POST', `${tree.relays[0]!.url}/whep/cam?start=-5`],
      ['POST', `${tree.relays[0]!.url}/whep/cam?start=275760-09-14T00:00:00.001Z`],
      ['POST', `${tree.relays[0]!.url}/whep/cam?start=${'9'.repeat(400)}`],
    ] as const;
    for (const [method, url] of cases) {
      const res = await send({ method, url, headers: { 'Content-Type': 'application/sdp' }, body: whepOffer });
      expect(res.status, `${method} ${url}: ${res.text}`).toBe(400);
      expect(res.text.trim().split('\n')).toHaveLength(1);
    }
    expect(errorLogs).toEqual([]);
  });

  it('answers an oversize chunked body with 413 before closing the connection', async () => {
    for (const url of [`${tree.origin.url}/whip/cam2`, `${tree.relays[0]!.url}/whep/cam`]) {
      const res = await send({ method: 'POST', url, headers: { 'Content-Type': 'application/sdp' }, body: Buffer.alloc(300_000, 'a'), chunked: true });
      expect(res.status, url).toBe(413);
      expect(res.text).toMatch(/^body over \d+ bytes\n$/);
    }
    const declared = await send({
      method: 'POST',
      url: `${tree.origin.url}/whip/cam2`,
      headers: { 'Content-Type': 'application/sdp', 'Content-Length': '300000' },
      body: Buffer.alloc(300_000, 'a'),
    });
    expect(declared.status).toBe(413);
  });
});

/** A small deterministic PRNG (mulberry32), so a failing case can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fuzzing origin and relay endpoints', () => {
  const SEED = Number(process.env.CANOPY_FUZZ_SEED ?? 20250610);
  const ROUNDS = Number(process.env.CANOPY_FUZZ_ROUNDS ?? 1500);

  it(`answers ${ROUNDS} random requests (seed ${SEED}) with no 5xx, no error log and no crash`, async () => {
    const rand = rng(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const int = (n: number) => Math.floor(rand() * n);
    const junk = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256))).toString('latin1');
    const segs = [
      'cam',
      'whip',
      'whep',
      'api',
      'state',
      'metrics',
      'healthz',
      'relay',
      '..',
      '.',
      '%2e%2e',
      '%ZZ',
      '%',
      '%00',
      '%C3%A9',
      '%E0%A4%A',
      'a'.repeat(300),
      '~x',
      '',
      'x y',
      encodeURIComponent(junk(6)),
    ];
    const sessionIds = (): string[] => [
      ...tree.relays[0]!.node.viewers.keys(),
      ...[...tree.origin.publishers.values()].map((p) => p.id),
      '00000000-0000-0000-0000-000000000000',
    ];
    const path = (): string => {
      switch (int(6)) {
        case 0:
          return `/${pick(['whip', 'whep'])}/${pick(segs)}`;
        case 1:
          return `/${pick(['whip', 'whep'])}/${pick(['cam', 'cam2', pick(segs)])}/${pick([...sessionIds(), pick(segs)])}`;
        case 2:
          return pick(['/api/state', '/metrics', '/healthz', '/relay', '/', '*', '/api', '/api/state/x', '/dashboard']);
        case 3:
          return `/${Array.from({ length: 1 + int(5) }, () => pick(segs)).join('/')}`;
        case 4:
          return `/whep/cam`;
        default:
          return `/whip/${pick(['cam', 'cam2', 'x'])}`;
      }
    };
    const startValues = [
      '',
      '0',
      '-1',
      '1e21',
      '99999999999999999999999',
      'NaN',
      'Infinity',
      String(Date.now()),
      String(Date.now() - 5000),
      String(Date.now() + 1e9),
      '2024-01-01T00:00:00Z',
      '+275760-09-13T00:00:00Z',
      'yesterday',
      '1.5',
      '9'.repeat(50),
      '%ZZ',
      junk(5),
    ];
    const query = (): string => {
      const parts: string[] = [];
      for (let i = int(3); i > 0; i--)
        parts.push(
          pick([
            `start=${encodeURIComponent(pick(startValues))}`,
            `start=${pick(startValues)}`,
            'access_token=abc',
            `access_token=${'a.b.c'}`,
            `${junk(3)}=${junk(3)}`,
            '%ZZ=1',
            'start',
            'start=1&start=2',
          ]),
        );
      return parts.length ? `?${parts.join('&')}` : '';
    };
    const mutate = (sdp: string): string => {
      const lines = sdp.split('\r\n');
      for (let i = 1 + int(4); i > 0; i--) {
        const at = int(lines.length);
        switch (int(6)) {
          case 0:
            lines.splice(at, 1);
            break;
          case 1:
            lines.splice(at, 0, lines[int(lines.length)]!);
            break;
          case 2:
            lines[at] = junk(1 + int(60));
            break;
          case 3:
            lines[at] = (lines[at] ?? '').replace(/\d+/, String(pick([0, -1, 65536, 4294967296, 127, 99999999999])));
            break;
          case 4:
            lines[at] = (lines[at] ?? '').slice(0, int((lines[at] ?? '').length + 1));
            break;
          default:
            lines.splice(
              at,
              0,
              pick([
                'm=video 9 UDP/TLS/RTP/SAVPF 96',
                'a=mid:',
                `a=mid:${junk(4)}`,
                'a=rtpmap:96 VP8/0',
                'a=sendonly',
                'a=recvonly',
                'a=fmtp:96 ' + 'x'.repeat(2000),
                'a=ssrc:1 cname:x',
              ]),
            );
        }
      }
      return lines.join(pick(['\r\n', '\n']));
    };
    const body = (p: string): string | Buffer | undefined => {
      switch (int(6)) {
        case 0:
          return undefined;
        case 1:
          return junk(int(2000));
        case 2:
          return p.startsWith('/whip') ? whipOffer : whepOffer;
        case 3:
          return '';
        default:
          return mutate(pick([whipOffer, whepOffer]));
      }
    };
    const methods = ['GET', 'POST', 'POST', 'POST', 'DELETE', 'OPTIONS', 'PATCH', 'PUT', 'HEAD', 'PROPFIND'];
    const contentTypes = [
      'application/sdp',
      'application/sdp',
      'application/SDP; charset=utf-8',
      'text/plain',
      '',
      'application/trickle-ice-sdpfrag',
      junk(8).replace(/[^\x21-\x7e]/g, 'x'),
    ];
    const auth = [
      'Bearer ',
      'Bearer x',
      `Bearer ${'a'.repeat(9000)}`,
      'Bearer a.b.c',
      'Bearer eyJhbGciOiJub25lIn0.eyJzdHJlYW0iOiIqIiwiYWN0aW9uIjoicGxheSJ9.',
      'Basic Zm9vOmJhcg==',
      'Bearer\tx',
    ];

    const fivexx: string[] = [];
    const statuses = new Map<number, number>();
    const targets = [tree.origin.url, tree.relays[0]!.url];
    const batch: Array<Promise<void>> = [];
    for (let i = 0; i < ROUNDS; i++) {
      const base = pick(targets);
      const p = path();
      const r: Sent = { method: pick(methods), url: `${base}${p}${query()}`, headers: {} };
      if (rand() < 0.8) r.headers!['Content-Type'] = pick(contentTypes);
      if (rand() < 0.3) r.headers!.Authorization = pick(auth);
      if (rand() < 0.2) r.headers!.Origin = pick(['http://evil.example', 'null', 'http://127.0.0.1:8080']);
      if (rand() < 0.1) r.headers!['If-Match'] = pick(['*', '"x"', junk(4).replace(/[^\x21-\x7e]/g, 'y')]);
      const b = r.method === 'GET' || r.method === 'HEAD' ? undefined : body(p);
      if (b !== undefined) {
        r.body = b;
        r.chunked = rand() < 0.3;
      }
      batch.push(
        send(r).then((res) => {
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500) fivexx.push(`${res.status} ${r.method} ${r.url.slice(0, 120)} -> ${res.text.trim().slice(0, 200)}`);
        }),
      );
      if (batch.length >= 8) await Promise.all(batch.splice(0));
    }
    await Promise.all(batch);
    // Malformed HTTP itself: Node's parser answers 400 (or closes); the node keeps serving.
    for (const raw of [
      'GET /whep/%ZZ HTTP/1.1\r\nHost: x\r\n\r\n',
      'POST /whip/cam HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\nzz\r\n',
      `GET /${'a'.repeat(100_000)} HTTP/1.1\r\n\r\n`,
      '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03',
      'GARBAGE\r\n\r\n',
      'POST /whep/cam HTTP/1.1\r\nContent-Type: application/sdp\r\nContent-Length: -1\r\n\r\n',
    ]) {
      for (const base of targets) {
        const status = await sendRaw(Number(new URL(base).port), Buffer.from(raw, 'latin1'));
        if (status >= 500) fivexx.push(`${status} raw ${JSON.stringify(raw.slice(0, 40))}`);
      }
    }
    console.log(`fuzz seed ${SEED}: ${ROUNDS} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
    expect(fivexx).toEqual([]);
    expect(errorLogs).toEqual([]);
    for (const base of targets) expect((await send({ method: 'GET', url: `${base}/healthz` })).status).toBe(200);
    // Whatever sessions the fuzz opened time out; nothing is left behind.
    await waitFor(
      () => tree.relays[0]!.node.viewers.size === 0 && tree.origin.node.viewers.size === 0 && tree.origin.pendingPublishers.size === 0,
      15_000,
      100,
      'fuzzed sessions reaped',
    );
  }, 240_000);
});
