import { createSocket } from 'node:dgram';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { NativeEngine } from '../../src/engine/NativeEngine.js';
import { NdcEngine } from '../../src/engine/NdcEngine.js';
import { ViewerRoutedEngine } from '../../src/engine/ViewerRoutedEngine.js';
import { engineFromConfig } from '../../src/node/engineFromConfig.js';
import { loadRelayConfig } from '../../relay/config.js';

// The viewers' engine by default (issue 19): native where the addon built and its port binds;
// otherwise node-datachannel, with one warning that says why.
function config(extra: string[] = []) {
  return loadRelayConfig(['--id', 'r', '--parent', 'ws://127.0.0.1:1/relay', '--ice-address', '127.0.0.1', '--insecure-no-cluster-secret', ...extra], {});
}

function capture() {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as { level: number; msg: string }) });
  return { logger, warnings: () => lines.filter((l) => l.level === 40).map((l) => l.msg) };
}

describe.skipIf(!NativeEngine.available().ok)('default viewer engine', () => {
  it('is native (viewers on the data plane, publishers on node-datachannel) with no --engine', async () => {
    expect(config().engine).toBe('native');
    const { logger, warnings } = capture();
    const engine = engineFromConfig(config(), logger);
    try {
      expect(engine).toBeInstanceOf(ViewerRoutedEngine);
      expect((engine as ViewerRoutedEngine).viewers).toBeInstanceOf(NativeEngine);
      expect((engine as ViewerRoutedEngine).others).toBeInstanceOf(NdcEngine);
      expect(engine.nativeStats?.()?.viewers).toBe(0);
      expect(warnings()).toEqual([]);
    } finally {
      await engine.close();
    }
  });

  it('is node-datachannel with --engine ndc, and without a warning', async () => {
    const { logger, warnings } = capture();
    const engine = engineFromConfig(config(['--engine', 'ndc']), logger);
    try {
      expect(engine).toBeInstanceOf(NdcEngine);
      expect(engine.nativeStats?.() ?? null).toBeNull();
      expect(warnings()).toEqual([]);
    } finally {
      await engine.close();
    }
  });

  it('falls back to node-datachannel with one warning saying why when the native engine cannot start', async () => {
    const taken = createSocket('udp4');
    await new Promise<void>((r) => taken.bind(0, '127.0.0.1', r));
    const { logger, warnings } = capture();
    const engine = engineFromConfig(config(['--ice-udp-port', String(taken.address().port)]), logger);
    try {
      expect(engine).toBeInstanceOf(NdcEngine);
      expect(warnings()).toHaveLength(1);
      expect(warnings()[0]).toMatch(/^native engine unavailable, node-datachannel serves viewers: .+/);
    } finally {
      await engine.close();
      taken.close();
    }
  });
});
