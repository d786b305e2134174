#!/usr/bin/env node
// `canopy origin|relay|token [flags]`: the commands of the built package (`npm run build`
// first; dist/ holds them).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const commands = {
  origin: { module: '../dist/origin/main.js', what: 'run an origin: WHIP ingest, the root of the tree' },
  relay: { module: '../dist/relay/main.js', what: 'run a relay: WHEP viewers, pulls from its parent on demand' },
  token: { module: '../dist/src/auth/tokenCommand.js', what: 'mint a stream token (JWT) for a publisher or a viewer' },
};
const help = `Canopy: a WebRTC live relay tree (WHIP in at an origin, WHEP out at every relay).

usage: canopy origin [--config FILE] [flags]
       canopy relay [--config FILE] [flags]
       canopy token --stream NAME --action publish|play [--ttl 1h] [--secret-file FILE]

${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(7)} ${c.what}`)
  .join('\n')}

\`canopy COMMAND --help\` lists a command's flags. Guides: README.md, docs/deploy.md,
docs/publishing.md, docs/security.md.
`;
const name = process.argv[2];
if (name === '--help' || name === '-h' || name === 'help') {
  process.stdout.write(help);
  process.exit(0);
}
if (!Object.hasOwn(commands, name)) {
  process.stderr.write(`${name === undefined ? '' : `canopy: unknown command ${JSON.stringify(name)}\n\n`}${help}`);
  process.exit(2);
}
const target = new URL(commands[name].module, import.meta.url);
if (!existsSync(fileURLToPath(target))) {
  process.stderr.write(`canopy: ${fileURLToPath(target)} is missing: run \`npm run build\` first (it compiles the commands to dist/)\n`);
  process.exit(2);
}
// The program reads its flags from process.argv.slice(2): drop the command.
process.argv.splice(2, 1);
if (name === 'token') {
  const { tokenCommand } = await import(target.href);
  process.exitCode = await tokenCommand(process.argv.slice(2), process.env, {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
} else {
  await import(target.href);
}
