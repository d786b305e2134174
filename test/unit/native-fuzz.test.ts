import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BUILD = fileURLToPath(new URL('../../native/fuzz/build.sh', import.meta.url));
const SECONDS = Number(process.env.CANOPY_FUZZ_SECONDS ?? 20);

// The native parsers (STUN, DTLS record framing, RTP, RTCP, SRTP/SRTCP, the SDP values handed
// down from JS) under AddressSanitizer and UBSan: random and mutated input for a bounded time,
// after known-answer and round-trip self-checks of the crypto (native/fuzz/fuzz.cc).
describe('native parsers under ASan and UBSan', () => {
  it(
    'survive random and mutated input, and pass their self-checks',
    () => {
      const out = join(mkdtempSync(join(tmpdir(), 'canopy-fuzz-')), 'native-fuzz');
      execFileSync('bash', [BUILD, out], { stdio: 'pipe' });
      expect(existsSync(out)).toBe(true);
      const seed = String(Date.now());
      const r = spawnSync(out, [String(SECONDS), seed], { encoding: 'utf8', env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0' } });
      if (r.status !== 0) throw new Error(`fuzz harness failed (seed ${seed}, exit ${r.status ?? r.signal}):\n${(r.stderr ?? '').slice(-4000)}`);
      expect(r.stdout).toMatch(/self-checks passed/);
      const inputs = Number(/(\d+) inputs/.exec(r.stdout)?.[1] ?? 0);
      expect(inputs).toBeGreaterThan(1000);
    },
    (SECONDS + 420) * 1000,
  );
});
