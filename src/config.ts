import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseDuration } from './duration.js';
import { CanopyError, ErrorCode } from './errors.js';

export type OptionType = 'string' | 'int' | 'number' | 'bool' | 'duration' | 'hostport' | 'wsurl' | 'parent' | 'loglevel';

export interface OptionSpec {
  /** camelCase key in the config object and file; the flag is its kebab-case form. */
  key: string;
  type: OptionType;
  help: string;
  /** Raw default, coerced like any other source (durations as text, e.g. '5s'). */
  default?: unknown;
  required?: boolean;
  min?: number;
  /** Takes a list: the flag may repeat, the file gives an array, the environment a comma-separated list. */
  multiple?: boolean;
  /** The values a string option may take. */
  choices?: readonly string[];
}

/** A parent relay endpoint and its priority (lower is preferred). */
export interface ParentEntry {
  url: string;
  priority: number;
  /** How this parent link's media travels, overriding --link-media (docs/pipe.md). */
  media?: 'ws' | 'udp' | 'auto';
}

const LINK_MEDIA = ['ws', 'udp', 'auto'] as const;

export interface HostPort {
  host: string;
  port: number;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function envName(key: string): string {
  return `CANOPY_${flagName(key).replace(/-/g, '_').toUpperCase()}`;
}

export function parseHostPort(text: string): HostPort | null {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text.trim());
  if (!m) return null;
  const port = Number(m[3]);
  if (port > 65535) return null;
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

function fail(key: string, message: string): never {
  throw new CanopyError(ErrorCode.CONFIG, `--${flagName(key)}: ${message}`);
}

function parseWsUrl(key: string, raw: unknown): string {
  let url: URL | null = null;
  try {
    url = typeof raw === 'string' ? new URL(raw) : null;
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'ws:' && url.protocol !== 'wss:')) {
    fail(key, `expected a ws:// or wss:// URL, got ${JSON.stringify(raw)}`);
  }
  return url.toString();
}

/**
 * A parent: `URL`, `URL#priority=N`, `URL#media=udp`, `URL#priority=N&media=ws`, or (config
 * file) `{url, priority, media}`. The fragment cannot clash with a real URL part: WebSocket URIs
 * must not carry fragments (RFC 6455 §3).
 */
function parseParent(key: string, raw: unknown, index: number): ParentEntry {
  const media = (m: unknown): ParentEntry['media'] => {
    if (m === undefined) return undefined;
    if (typeof m !== 'string' || !(LINK_MEDIA as readonly string[]).includes(m))
      fail(key, `media must be one of ${LINK_MEDIA.join(', ')}, got ${JSON.stringify(m)}`);
    return m as ParentEntry['media'];
  };
  const entry = (url: string, priority: number, m: unknown): ParentEntry => {
    const e: ParentEntry = { url, priority };
    const md = media(m);
    if (md) e.media = md;
    return e;
  };
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const o = raw as { url?: unknown; priority?: unknown; media?: unknown };
    const priority = o.priority === undefined ? index : Number(o.priority);
    if (!Number.isInteger(priority) || priority < 0) fail(key, `priority must be a non-negative integer, got ${JSON.stringify(o.priority)}`);
    return entry(parseWsUrl(key, o.url), priority, o.media);
  }
  if (typeof raw !== 'string') fail(key, `expected a ws:// URL, got ${JSON.stringify(raw)}`);
  const hash = raw.indexOf('#');
  if (hash < 0) return { url: parseWsUrl(key, raw), priority: index };
  let priority = index;
  let m: string | undefined;
  for (const part of raw.slice(hash + 1).split(/[&,]/)) {
    const p = /^priority=(\d+)$/.exec(part);
    const q = /^media=(\w+)$/.exec(part);
    if (p) priority = Number(p[1]);
    else if (q) m = q[1];
    else fail(key, `expected URL#priority=N or URL#media=ws|udp|auto (joined with &), got ${JSON.stringify(raw)}`);
  }
  return entry(parseWsUrl(key, raw.slice(0, hash)), priority, m);
}

function coerce(spec: OptionSpec, raw: unknown): unknown {
  if (spec.multiple) {
    const split = (x: unknown): unknown[] => (typeof x === 'string' ? x.split(/[\s,]+/).filter(Boolean) : [x]);
    const items = Array.isArray(raw) ? raw.flatMap(split) : split(raw);
    if (items.length === 0 && spec.required) fail(spec.key, 'needs at least one value');
    return items.map((item, i) => (spec.type === 'parent' ? parseParent(spec.key, item, i) : coerceOne(spec, item)));
  }
  return coerceOne(spec, raw);
}

function coerceOne(spec: OptionSpec, raw: unknown): unknown {
  const { key, type } = spec;
  const text = typeof raw === 'string' ? raw : undefined;
  switch (type) {
    case 'string':
      if (typeof raw !== 'string') fail(key, `expected a string, got ${JSON.stringify(raw)}`);
      if (spec.choices && !spec.choices.includes(raw)) fail(key, `expected one of ${spec.choices.join(', ')}, got ${JSON.stringify(raw)}`);
      return raw;
    case 'int':
    case 'number': {
      const n = typeof raw === 'number' ? raw : text !== undefined && text.trim() !== '' ? Number(text) : NaN;
      if (!Number.isFinite(n) || (type === 'int' && !Number.isInteger(n))) {
        fail(key, `expected ${type === 'int' ? 'an integer' : 'a number'}, got ${JSON.stringify(raw)}`);
      }
      if (spec.min !== undefined && n < spec.min) fail(key, `must be at least ${spec.min}, got ${n}`);
      return n;
    }
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      if (text !== undefined && /^(1|true|yes|on)$/i.test(text)) return true;
      if (text !== undefined && /^(0|false|no|off)$/i.test(text)) return false;
      return fail(key, `expected true or false, got ${JSON.stringify(raw)}`);
    case 'duration': {
      const ms = typeof raw === 'number' || typeof raw === 'string' ? parseDuration(raw) : null;
      if (ms === null) fail(key, `expected a duration (plain seconds, or a number with ms, s, m or h), got ${JSON.stringify(raw)}`);
      if (spec.min !== undefined && ms < spec.min) fail(key, `must be at least ${spec.min} ms, got ${ms} ms`);
      return ms;
    }
    case 'hostport': {
      const hp = text !== undefined ? parseHostPort(text) : null;
      if (!hp) fail(key, `expected HOST:PORT, got ${JSON.stringify(raw)}`);
      return hp;
    }
    case 'wsurl':
      return parseWsUrl(key, raw);
    case 'parent':
      return parseParent(key, raw, 0);
    case 'loglevel':
      if (typeof raw !== 'string' || !LOG_LEVELS.includes(raw)) fail(key, `expected one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(raw)}`);
      return raw;
  }
}

/** Splits argv into flag values. Accepts --key value, --key=value, --flag and --no-flag. */
export function parseArgv(argv: readonly string[], specs: readonly OptionSpec[]): Record<string, unknown> {
  const byFlag = new Map(specs.map((s) => [flagName(s.key), s]));
  const out: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new CanopyError(ErrorCode.CONFIG, `unexpected argument ${JSON.stringify(arg)}`);
    let name = arg.slice(2);
    let value: string | boolean | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    if (name === 'config' || name === 'help') {
      out[name] = value ?? (name === 'help' ? true : argv[++i]);
      continue;
    }
    let spec = byFlag.get(name);
    if (!spec && name.startsWith('no-') && byFlag.get(name.slice(3))?.type === 'bool') {
      spec = byFlag.get(name.slice(3))!;
      value = false;
    }
    if (!spec) throw new CanopyError(ErrorCode.CONFIG, `unknown flag --${name}`);
    if (value === undefined) {
      if (spec.type === 'bool' && (argv[i + 1] === undefined || argv[i + 1]!.startsWith('--'))) value = true;
      else if (argv[i + 1] === undefined) fail(spec.key, 'missing value');
      else value = argv[++i];
    }
    if (spec.multiple) out[spec.key] = [...((out[spec.key] as unknown[] | undefined) ?? []), value];
    else out[spec.key] = value;
  }
  return out;
}

/** YAML for .yaml/.yml files (comments allowed), JSON for anything else. */
function parseConfigText(path: string, text: string): unknown {
  const ext = extname(path).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') {
    // One document; duplicate keys and other YAML errors throw with a line and column.
    return parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  }
  return JSON.parse(text);
}

function readConfigFile(path: string, specs: readonly OptionSpec[]): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseConfigText(path, readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CanopyError(ErrorCode.CONFIG, `--config: cannot read ${path}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CanopyError(ErrorCode.CONFIG, `--config: ${path} must hold a mapping of option names to values`);
  }
  const keys = new Map(
    specs.flatMap((s) => [
      [s.key, s.key],
      [flagName(s.key), s.key],
    ]),
  );
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed)) {
    const key = keys.get(k);
    if (!key) throw new CanopyError(ErrorCode.CONFIG, `--config: unknown key ${JSON.stringify(k)} in ${path}`);
    out[key] = v;
  }
  return out;
}

/**
 * Resolves a config: defaults, then the JSON or YAML file named by --config (or CANOPY_CONFIG),
 * then CANOPY_* environment variables, then flags. Every value is validated, and an error
 * names the offending key.
 */
export function loadConfig<T>(
  specs: readonly OptionSpec[],
  sources: { argv?: readonly string[]; env?: NodeJS.ProcessEnv; overrides?: Record<string, unknown> } = {},
): T & { help?: boolean } {
  const flags = parseArgv(sources.argv ?? [], specs);
  const env = sources.env ?? {};
  const merged: Record<string, unknown> = {};
  for (const s of specs) if (s.default !== undefined) merged[s.key] = s.default;
  const file = (flags.config as string | undefined) ?? env.CANOPY_CONFIG;
  if (file) Object.assign(merged, readConfigFile(file, specs));
  for (const s of specs) {
    const v = env[envName(s.key)];
    if (v !== undefined && v !== '') merged[s.key] = v;
  }
  for (const s of specs) if (flags[s.key] !== undefined) merged[s.key] = flags[s.key];
  Object.assign(merged, sources.overrides ?? {});

  const out: Record<string, unknown> = {};
  for (const s of specs) {
    const raw = merged[s.key];
    if (raw === undefined || raw === null) {
      if (s.required && !flags.help) fail(s.key, 'is required');
      continue;
    }
    out[s.key] = coerce(s, raw);
  }
  if (flags.help) out.help = true;
  return out as T & { help?: boolean };
}

/**
 * Freezes a resolved config, arrays and nested objects included: options are decided once, at
 * start, and nothing changes them afterwards (what may change while running, the TLS files, is
 * re-read on SIGHUP instead: src/http/TlsIdentity.ts).
 */
export function freezeConfig<T>(config: T): Readonly<T> {
  const freeze = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return;
    Object.freeze(v);
    for (const x of Object.values(v)) freeze(x);
  };
  freeze(config);
  return config;
}

/** Turns a loaded config back into flags (to start another process with the same settings). */
export function toArgv(specs: readonly OptionSpec[], config: Record<string, unknown>, skip: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const s of specs) {
    const v = config[s.key];
    if (v === undefined || skip.includes(s.key)) continue;
    const flag = `--${flagName(s.key)}`;
    if (s.type === 'parent') for (const p of v as ParentEntry[]) out.push(flag, `${p.url}#priority=${p.priority}${p.media ? `&media=${p.media}` : ''}`);
    else if (s.multiple) for (const x of v as unknown[]) out.push(flag, String(x));
    else if (s.type === 'bool') out.push(v ? flag : `--no-${flagName(s.key)}`);
    else if (s.type === 'duration') out.push(flag, `${v as number}ms`);
    else if (s.type === 'hostport')
      out.push(flag, `${(v as HostPort).host.includes(':') ? `[${(v as HostPort).host}]` : (v as HostPort).host}:${(v as HostPort).port}`);
    else out.push(flag, String(v));
  }
  return out;
}

export function usage(command: string, specs: readonly OptionSpec[]): string {
  const lines = specs.map((s) => {
    const def = s.default === undefined ? (s.required ? ' (required)' : '') : ` (default ${JSON.stringify(s.default)})`;
    return `  --${flagName(s.key).padEnd(20)} ${s.help}${def}  [${envName(s.key)}]`;
  });
  return [`usage: ${command} [--config FILE] [flags]`, '', ...lines, ''].join('\n');
}
