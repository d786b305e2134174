import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadRelayConfig } from '../../relay/config.js';
import { RelayServer } from '../../relay/RelayServer.js';
import { ErrorCode } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';

/** A TCP port nobody listens on (bound, then released). */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('RelayServer.whenLinked', () => {
  it('rejects when the relay closes before a parent link comes up, and at once when it is already closed', async () => {
    const relay = new RelayServer(
      loadRelayConfig(['--id', 'orphan', '--parent', `ws://127.0.0.1:${await deadPort()}/relay`, '--listen', '127.0.0.1:0', '--ice-address', '127.0.0.1'], {
        CANOPY_CLUSTER_SECRET: 'whenlinked-test-secret',
      }),
      silentLogger(),
    );
    await relay.listen();
    const linked = relay.whenLinked();
    const outcome = linked.then(
      () => 'linked',
      (e: { code?: number }) => e.code,
    );
    await relay.close('test done');
    expect(await outcome).toBe(ErrorCode.SHUTDOWN);
    await expect(relay.whenLinked()).rejects.toMatchObject({ code: ErrorCode.SHUTDOWN });
    expect(relay.registries()).toMatchObject({ upstreamSubscriptions: 0, siblingSubscriptions: 0 });
  });
});
