// Issue 18: the README's and the guides' command blocks drifted from the code (npm scripts that
// needed dev tools, a token command whose output could not be captured, flags). Every `sh`
// block of README.md and docs/*.md is checked here: each command's npm script, `canopy`
// subcommand and flags must exist, and blocks marked `<!-- docs-check: run -->` (the secret and
// token steps) run for real, in a scratch HOME. Long-running programs are not started here;
// scripts/check-dist.sh runs them from a pruned production install.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { originOptions } from '../../origin/config.js';
import { relayOptions } from '../../relay/config.js';
import { tokenUsage } from '../../src/auth/tokenCommand.js';
import { flagName } from '../../src/config.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUN_MARK = '<!-- docs-check: run -->';

interface Block {
  file: string;
  line: number;
  text: string;
  run: boolean;
}

/** The fenced sh/bash blocks of a Markdown text. */
export function shBlocks(file: string, markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(sh|bash|shell)\s*$/.test(lines[i]!)) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    let prev = start - 1;
    while (prev >= 0 && lines[prev]!.trim() === '') prev--;
    blocks.push({ file, line: start + 1, text: body.join('\n'), run: prev >= 0 && lines[prev]!.trim() === RUN_MARK });
  }
  return blocks;
}

/** Commands of a block: continuation lines joined, comments dropped, split at ; && || |. */
export function commands(text: string): string[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean)
    .flatMap((l) => l.split(/\s*(?:&&|\|\||;|\|)\s*/))
    .map((c) =>
      c
        .replace(/^[A-Z_]+=\$\(/, '')
        .replace(/\)$/, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter(Boolean);
}

const scripts = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
const demoFlags = [...readFileSync(join(ROOT, 'scripts/demo.ts'), 'utf8').matchAll(/^\s+'([a-z-]+)': \{ type:/gm)].map((m) => m[1]!);
const FLAGS: Record<string, Set<string>> = {
  origin: new Set(['config', 'help', ...originOptions.map((s) => flagName(s.key))]),
  relay: new Set(['config', 'help', ...relayOptions.map((s) => flagName(s.key))]),
  token: new Set([...tokenUsage('x').matchAll(/--([a-z-]+)/g)].map((m) => m[1]!)),
  start: new Set(demoFlags),
};

/** What is wrong with one command line of the docs (empty: nothing, or not a Canopy command). */
export function lint(command: string): string[] {
  const words = command.split(/\s+/);
  let program: string | null = null;
  let args: string[] = [];
  const problems: string[] = [];
  const at = (i: number) => words[i] ?? '';
  if (at(0) === 'npm' && (at(1) === 'run' || at(1) === 'start')) {
    const rest =
      at(1) === 'start' ? ['start', ...words.slice(2)] : words.slice(2).filter((w, i, all) => !(w.startsWith('--') && all.indexOf('--') > i) || w === '--');
    const name = at(1) === 'start' ? 'start' : words.slice(2).find((w) => !w.startsWith('-'));
    if (!name) return [`${command}: no script name`];
    if (!scripts.includes(name)) return [`${command}: package.json has no script "${name}"`];
    program = name in FLAGS ? name : null;
    args = rest.includes('--') ? rest.slice(rest.indexOf('--') + 1) : [];
  } else if ((at(0) === 'npx' && words.includes('canopy')) || at(0) === 'canopy' || (at(0) === 'node' && at(1) === 'bin/canopy.js')) {
    const i = words.indexOf(at(0) === 'node' ? 'bin/canopy.js' : 'canopy');
    const sub = at(i + 1);
    if (sub === '--help' || sub === '-h') return [];
    if (!['origin', 'relay', 'token'].includes(sub)) return [`${command}: canopy has no command "${sub}"`];
    program = sub;
    args = words.slice(i + 2);
  } else if (at(0) === 'node' && /^dist\/(origin|relay)\/main\.js$/.test(at(1))) {
    program = /^dist\/(origin|relay)/.exec(at(1))![1]!;
    args = words.slice(2);
  }
  if (!program) return problems;
  for (const w of args) {
    const flag = /^\[?--([a-z0-9-]+)/.exec(w)?.[1];
    if (flag && !FLAGS[program]!.has(flag) && !(flag.startsWith('no-') && FLAGS[program]!.has(flag.slice(3))))
      problems.push(`${command}: ${program} has no flag --${flag}`);
  }
  return problems;
}

const docs = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const blocks = docs.flatMap((f) => shBlocks(f, readFileSync(join(ROOT, f), 'utf8')));

describe('the command blocks of README.md and docs/', () => {
  it('name npm scripts, canopy commands and flags that exist', () => {
    const all = blocks.flatMap((b) => commands(b.text).map((c) => ({ where: `${b.file}:${b.line}`, c })));
    const canopy = all.filter(({ c }) => /^(npm (run|start)|npx .*canopy|canopy |node (dist|bin)\/)/.test(c));
    // The check covers the commands people copy: more than a handful of them.
    expect(canopy.length).toBeGreaterThan(10);
    const problems = all.flatMap(({ where, c }) => lint(c).map((p) => `${where}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('tell a flag, script or command that does not exist (the check can fail)', () => {
    expect(lint('npm run relay -- --id x --parnet ws://h/relay')).toEqual(['npm run relay -- --id x --parnet ws://h/relay: relay has no flag --parnet']);
    expect(lint('npm run orign -- --id x')).toHaveLength(1);
    expect(lint('npx canopy tokn --stream x')).toHaveLength(1);
    expect(lint('npx canopy token --stream x --action publish --tll 1h')).toHaveLength(1);
    expect(lint('npm run --silent token -- --secret-file f --stream cam --action publish')).toEqual([]);
    expect(lint('node dist/relay/main.js --help')).toEqual([]);
    expect(commands('a \\\n  --b # c\nTOKEN=$(npm run --silent token -- --x) && d')).toEqual(['a --b', 'npm run --silent token -- --x', 'd']);
  });

  it.each(blocks.filter((b) => b.run).map((b) => [`${b.file}:${b.line}`, b] as const))(
    'run as written where marked: %s',
    (_where, block) => {
      const home = mkdtempSync(join(tmpdir(), 'canopy-docs-home-'));
      try {
        // A captured TOKEN must be a token alone (npm's banner once crept into it).
        const check = `\nif [ -n "\${TOKEN+x}" ]; then [[ "$TOKEN" =~ ^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$ ]] || { echo "TOKEN is not a token alone: $TOKEN" >&2; exit 1; }; fi\n`;
        execFileSync('bash', ['-c', `set -euo pipefail\n${block.text}${check}`], {
          cwd: ROOT,
          env: { ...process.env, HOME: home },
          stdio: 'pipe',
          timeout: 60_000,
        });
        if (block.text.includes('~/.canopy/')) expect(readdirSync(join(home, '.canopy')).sort()).toEqual(['cluster.secret', 'jwt.secret']);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    },
    90_000,
  );

  it('has at least one block that runs', () => {
    expect(blocks.filter((b) => b.run).length).toBeGreaterThan(0);
  });
});
