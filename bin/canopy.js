#!/usr/bin/env node
// `canopy origin [flags]` and `canopy relay [flags]`: the two programs of the built package
// (run `npm run build` first; dist/ holds them).
const programs = { origin: '../dist/origin/main.js', relay: '../dist/relay/main.js' };
const name = process.argv[2];
if (!Object.hasOwn(programs, name)) {
  process.stderr.write(
    'usage: canopy origin [--config FILE] [flags]\n       canopy relay [--config FILE] [flags]\n\n' +
      '`canopy origin --help` and `canopy relay --help` list the flags.\n',
  );
  process.exit(name === '--help' || name === '-h' ? 0 : 2);
}
// The program reads its flags from process.argv.slice(2): drop the subcommand.
process.argv.splice(2, 1);
await import(programs[name]);
