import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const BUILD = fileURLToPath(new URL('../../native/fuzz/build.sh', import.meta.url));
const SECONDS = Number(process.env.CANOPY_FUZZ_SECONDS ?? 20);
const run = promisify(execFile);

// The native parsers (STUN, DTLS record framing, RTP, RTCP, SRTP/SRTCP, the SDP values handed
// down from JS) under AddressSanitizer and UBSan: random and mutated input for a bounded time,
// after known-answer and round-trip self-checks of the crypto (native/fuzz/fuzz.cc).
describe('native parsers under ASan and UBSan', () => {
  it(
    'survive random and mutated input, and pass their self-checks',
    // Asynchronous: a build and run that block the worker for a minute or more (a loaded
    // machine) would time out vitest's own worker RPC and fail the run with an unhandled error.
    async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'canopy-fuzz-')), 'native-fuzz');
      await run('bash', [BUILD, out], { maxBuffer: 16 << 20 });
      expect(existsSync(out)).toBe(true);
      const seed = String(Date.now());
      let stdout = '';
      try {
        ({ stdout } = await run(out, [String(SECONDS), seed], {
          encoding: 'utf8',
          maxBuffer: 16 << 20,
          env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0' },
        }));
      } catch (err) {
        const e = err as { code?: number; signal?: string; stderr?: string };
        throw new Error(`fuzz harness failed (seed ${seed}, exit ${e.code ?? e.signal}):\n${(e.stderr ?? '').slice(-4000)}`);
      }
      expect(stdout).toMatch(/self-checks passed/);
      const inputs = Number(/(\d+) inputs/.exec(stdout)?.[1] ?? 0);
      expect(inputs).toBeGreaterThan(1000);
    },
    (SECONDS + 420) * 1000,
  );
});
