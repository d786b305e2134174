// `canopy token …` (bin/canopy.js, from dist/) and `npm run token -- …`: mints an HS256 stream
// token (docs/security.md) for publishers or viewers. It prints the token alone on stdout, so
// that TOKEN=$(canopy token …) captures just it; messages go to stderr.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseDuration } from '../duration.js';
import { signStreamToken, type StreamAction } from './jwt.js';

export function tokenUsage(command: string): string {
  return `usage: ${command} --stream NAME [--stream ...] --action publish|play [--action ...] [--ttl 1h]
       [--secret-file FILE] [--issuer ISS] [--audience AUD] [--subject SUB]

  --stream       an exact stream name, a prefix ending in * (team-*), or * for every stream
  --action       publish or play (repeat for both)
  --ttl          lifetime: plain seconds or a number with ms, s, m, h, d (default 1h)
  --secret-file  the HS256 secret the nodes verify with (--jwt-secret-file); default: CANOPY_JWT_SECRET
  --issuer, --audience, --subject   the iss, aud and sub claims (nodes check iss and aud
                 when run with --jwt-issuer / --jwt-audience)

Prints the token alone, for TOKEN=$(${command} …). Publishers send it as
"Authorization: Bearer <token>"; viewers too, or as ?access_token=<token> on the WHEP URL.
`;
}

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Runs the command; resolves to its exit status (0, or 2 for a usage error). */
export async function tokenCommand(argv: string[], env: NodeJS.ProcessEnv, io: CommandIo, command = 'canopy token'): Promise<number> {
  const usage = tokenUsage(command);
  const fail = (message: string): number => {
    io.stderr(`${message}\n\n${usage}`);
    return 2;
  };
  let a;
  try {
    ({ values: a } = parseArgs({
      args: argv,
      options: {
        'secret-file': { type: 'string' },
        stream: { type: 'string', multiple: true },
        action: { type: 'string', multiple: true },
        ttl: { type: 'string', default: '1h' },
        issuer: { type: 'string' },
        audience: { type: 'string' },
        subject: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    return fail((err as Error).message);
  }
  if (a.help) {
    io.stdout(usage);
    return 0;
  }
  let secret: string | undefined;
  try {
    secret = a['secret-file'] ? readFileSync(a['secret-file'], 'utf8').replace(/\r?\n$/, '') : env.CANOPY_JWT_SECRET;
  } catch (err) {
    return fail(`--secret-file: ${(err as Error).message}`);
  }
  if (!secret) return fail('no secret: give --secret-file or set CANOPY_JWT_SECRET');
  const streams = a.stream ?? [];
  const actions = (a.action ?? []) as StreamAction[];
  if (streams.length === 0) return fail('--stream is required');
  if (actions.length === 0 || actions.some((x) => x !== 'publish' && x !== 'play')) return fail('--action must be publish or play');
  const ttlMs = parseDuration(a.ttl!);
  if (ttlMs === null || ttlMs < 1000) return fail(`--ttl: expected a duration of at least 1 s, got ${JSON.stringify(a.ttl)}`);
  const token = await signStreamToken(secret, {
    stream: streams.length === 1 ? streams[0]! : streams,
    action: actions.length === 1 ? actions[0]! : actions,
    ttlSeconds: Math.round(ttlMs / 1000),
    issuer: a.issuer,
    audience: a.audience,
    subject: a.subject,
  });
  io.stdout(`${token}\n`);
  return 0;
}
