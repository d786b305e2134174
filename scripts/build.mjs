// `npm run build`: compiles src/, origin/ and relay/ to dist/ with the repository's tsc, then
// copies what tsc does not emit: the generated protobuf modules (src/gen/*.js are JavaScript
// with .d.ts beside them, so tsc type-checks against them but never emits them), and the
// dashboard's static page (src/dashboard/: HTML, script and style the nodes serve as they are).
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
const gen = join(root, 'src/gen');
mkdirSync(join(dist, 'src/gen'), { recursive: true });
for (const f of readdirSync(gen)) if (f.endsWith('.js')) copyFileSync(join(gen, f), join(dist, 'src/gen', f));
cpSync(join(root, 'src/dashboard'), join(dist, 'src/dashboard'), { recursive: true });
