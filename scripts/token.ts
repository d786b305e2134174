// `npm run token`: mints an HS256 stream token (docs/security.md) for publishers or viewers.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { signStreamToken, type StreamAction } from '../src/auth/jwt.js';
import { parseDuration } from '../src/duration.js';

const { values: a } = parseArgs({
  options: {
    'secret-file': { type: 'string' },
    stream: { type: 'string', multiple: true },
    action: { type: 'string', multiple: true },
    ttl: { type: 'string', default: '1h' },
    issuer: { type: 'string' },
    audience: { type: 'string' },
    subject: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

const usage = `usage: npm run token -- --stream NAME [--stream ...] --action publish|play [--action ...] [--ttl 1h]
                       [--secret-file FILE] [--issuer ISS] [--audience AUD] [--subject SUB]

  --stream     an exact stream name, a prefix ending in * (team-*), or * for every stream
  --action     publish or play (repeat for both)
  --ttl        lifetime: plain seconds or a number with ms, s, m, h, d (default 1h)
  --secret-file  the HS256 secret the nodes verify with (--jwt-secret-file); default: CANOPY_JWT_SECRET

Prints the token. Publishers send it as "Authorization: Bearer <token>"; viewers too, or as
?access_token=<token> on the WHEP URL.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${usage}\n`);
  process.exit(2);
}

if (a.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const secret = a['secret-file'] ? readFileSync(a['secret-file'], 'utf8').replace(/\r?\n$/, '') : process.env.CANOPY_JWT_SECRET;
if (!secret) fail('no secret: give --secret-file or set CANOPY_JWT_SECRET');
const streams = a.stream ?? [];
const actions = (a.action ?? []) as StreamAction[];
if (streams.length === 0) fail('--stream is required');
if (actions.length === 0 || actions.some((x) => x !== 'publish' && x !== 'play')) fail('--action must be publish or play');
const ttlMs = parseDuration(a.ttl!);
if (ttlMs === null || ttlMs < 1000) fail(`--ttl: expected a duration of at least 1 s, got ${JSON.stringify(a.ttl)}`);
const token = await signStreamToken(secret, {
  stream: streams.length === 1 ? streams[0]! : streams,
  action: actions.length === 1 ? actions[0]! : actions,
  ttlSeconds: Math.round(ttlMs / 1000),
  issuer: a.issuer,
  audience: a.audience,
  subject: a.subject,
});
process.stdout.write(`${token}\n`);
