#!/usr/bin/env node
// `npm run origin|relay|token -- …`: the program from source when the dev dependencies are
// installed (tsx), else the built one from dist/ (`npm ci && npm run build && npm prune
// --omit=dev`), so the same npm scripts work on a development checkout and a production
// install. Plain JavaScript, so it runs without tsx.
import { createRequire } from 'node:module';

const SOURCES = { origin: '../origin/main.ts', relay: '../relay/main.ts', token: './token.ts' };
const program = process.argv[2];
if (!Object.hasOwn(SOURCES, program)) {
  process.stderr.write(`usage: node scripts/run.mjs origin|relay|token [flags]\n`);
  process.exit(2);
}
let tsx = false;
try {
  createRequire(import.meta.url).resolve('tsx/esm/api');
  tsx = true;
} catch {
  // a production install: no dev dependencies
}
if (tsx) {
  process.argv.splice(2, 1);
  const { register } = await import('tsx/esm/api');
  register();
  await import(SOURCES[program]);
} else {
  // bin/canopy.js runs dist/ and takes the program as its first argument, as here.
  await import('../bin/canopy.js');
}
