// Loaded into every node process the demo starts (`node --import …/guard.mjs`): the node stops
// when the demo is gone, however the demo ended. The demo stops its nodes itself on SIGINT,
// SIGTERM and SIGHUP; but a process killed outright (SIGKILL: tsx's CLI sends one when its
// child does not acknowledge a relayed Ctrl-C within 30 ms, which a loaded machine misses) runs
// no handler, and its nodes, in their own process groups, used to run on as orphans.
// The demo holds the write end of each node's stdin: the kernel closes it when the demo exits
// for any reason, so the node sees end-of-file at once. The parent pid changing is a second
// sign (the node was handed to init or a subreaper).
import { rmSync } from 'node:fs';

const CLOSE_GRACE_MS = 5000;
const PARENT_POLL_MS = 500;
// The origin's temporary archive: removed when the node stops because the demo is gone (the
// demo removes it itself on an ordinary stop).
const removeOnOrphan = process.env.CANOPY_DEMO_REMOVE_ON_ORPHAN;
const parent = process.ppid;
let orphaned = false;

function orphan(why) {
  if (orphaned) return;
  orphaned = true;
  process.stderr.write(`the demo is gone (${why}): stopping\n`);
  // The program's own Ctrl-C path (src/node/cli.ts): close at once, then exit.
  process.kill(process.pid, 'SIGINT');
  setTimeout(() => process.exit(0), CLOSE_GRACE_MS).unref();
}

process.stdin.on('end', () => orphan('its pipe closed'));
process.stdin.on('error', () => orphan('its pipe failed'));
process.stdin.resume();
// The pipe must not keep a node alive that would otherwise exit.
process.stdin.unref?.();
setInterval(() => {
  if (process.ppid !== parent) orphan('parent exited');
}, PARENT_POLL_MS).unref();
process.on('exit', () => {
  if (orphaned && removeOnOrphan) rmSync(removeOnOrphan, { recursive: true, force: true });
});
