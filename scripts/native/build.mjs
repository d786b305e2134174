// Builds the native data plane (native/, binding.gyp) with the node-gyp that ships with npm,
// against this Node's own headers (no download). It never fails the install: on failure it
// writes why to build/native-status.json and exits 0, and node-datachannel serves viewers.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const status = join(root, 'build', 'native-status.json');
const require = createRequire(import.meta.url);

function done(ok, reason, log = '') {
  mkdirSync(dirname(status), { recursive: true });
  writeFileSync(status, JSON.stringify({ ok, reason, node: process.version, at: new Date().toISOString(), log: log.slice(-4000) }, null, 2));
  console.log(ok ? 'canopy: native data plane built' : `canopy: native data plane not built (${reason}); node-datachannel will serve viewers`);
  process.exit(0);
}

if (process.env.CANOPY_SKIP_NATIVE === '1') done(false, 'CANOPY_SKIP_NATIVE=1');
// Node's own headers: a distribution puts them beside the binary (<prefix>/include/node).
const prefix = resolve(dirname(process.execPath), '..');
const nodedir = existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : null;
if (!nodedir) done(false, `no Node headers under ${prefix}/include/node`);
let gyp;
try {
  // npm ships node-gyp; run it with this node so no global install is needed.
  gyp =
    process.env.npm_config_node_gyp ||
    join(
      dirname(require.resolve('npm/package.json', { paths: [join(dirname(process.execPath), '..', 'lib', 'node_modules')] })),
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    );
} catch {
  done(false, 'node-gyp (bundled with npm) not found');
}
if (!existsSync(gyp)) done(false, `node-gyp not found at ${gyp}`);
const jobs = String(Math.max(1, Math.min(2, (await import('node:os')).availableParallelism())));
const r = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`, '--jobs', jobs], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, JOBS: jobs },
});
const log = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
if (r.status !== 0) done(false, `node-gyp rebuild failed (exit ${r.status ?? r.signal})`, log);
if (!existsSync(join(root, 'build', 'Release', 'canopy_native.node'))) done(false, 'node-gyp produced no canopy_native.node', log);
done(true, 'built', log);
