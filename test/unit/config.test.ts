import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRelayConfig } from '../../relay/config.js';
import { loadOriginConfig } from '../../origin/config.js';
import { parseDuration } from '../../src/duration.js';
import { parseHostPort } from '../../src/config.js';

const required = ['--id', 'r1', '--parent', 'ws://127.0.0.1:8000/relay', '--ice-address', '127.0.0.1'];

describe('durations', () => {
  it('take plain seconds or a number with ms, s, m or h', () => {
    expect(parseDuration('5')).toBe(5000);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('0.5')).toBe(500);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('72h')).toBe(259_200_000);
    expect(parseDuration(3)).toBe(3000);
  });

  it('reject anything else', () => {
    for (const bad of ['', 'abc', '-1', '5 sec', '1e3', '5x']) expect(parseDuration(bad)).toBeNull();
  });
});

describe('config loading', () => {
  it('applies defaults, then the file, then CANOPY_* variables, then flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-cfg-'));
    const file = join(dir, 'relay.json');
    writeFileSync(file, JSON.stringify({ 'idle-close-after': '7s', startTimeout: 3, listen: '127.0.0.1:9000' }));
    const c = loadRelayConfig([...required, '--config', file, '--start-timeout', '250ms'], { CANOPY_LISTEN: '127.0.0.1:9100' });
    expect(c.idleCloseAfter).toBe(7000);
    expect(c.startTimeout).toBe(250);
    expect(c.listen).toEqual({ host: '127.0.0.1', port: 9100 });
    expect(c.heartbeat).toBe(5000);
  });

  it('takes every option from the environment', () => {
    const c = loadOriginConfig([], { CANOPY_ID: 'o', CANOPY_ICE_ADDRESS: '10.0.0.1', CANOPY_SERVE_VIEWERS: 'true', CANOPY_IDLE_CLOSE_AFTER: '0' });
    expect(c).toMatchObject({ id: 'o', iceAddress: '10.0.0.1', serveViewers: true, idleCloseAfter: 0 });
  });

  it('names the offending key in every error', () => {
    expect(() => loadRelayConfig([...required, '--idle-close-after', 'soon'], {})).toThrow(/--idle-close-after: expected a duration/);
    expect(() => loadRelayConfig([...required, '--listen', 'nowhere'], {})).toThrow(/--listen: expected HOST:PORT/);
    expect(() => loadRelayConfig(['--id', 'r'], {})).toThrow(/--ice-address: is required|--parent: is required/);
    expect(() => loadRelayConfig([...required, '--parent', 'http://x'], {})).toThrow(/--parent: expected a ws:\/\//);
    expect(() => loadRelayConfig([...required, '--bogus', '1'], {})).toThrow(/unknown flag --bogus/);
    expect(() => loadOriginConfig([], { CANOPY_ID: 'o', CANOPY_ICE_ADDRESS: 'x', CANOPY_SERVE_VIEWERS: 'maybe' })).toThrow(/--serve-viewers/);
  });

  it('rejects unknown keys in the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-cfg-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ idleClose: 1 }));
    expect(() => loadRelayConfig([...required, '--config', file], {})).toThrow(/unknown key "idleClose"/);
  });

  it('reads a commented YAML file by its extension, validated like any other source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-cfg-'));
    const file = join(dir, 'relay.yaml');
    writeFileSync(
      file,
      [
        '# an edge relay',
        'id: edge-1            # unique in the tree',
        'parent: ws://10.0.0.2:8100/relay',
        'ice-address: 203.0.113.7',
        'listen: 0.0.0.0:8100',
        'idle-close-after: 7s',
        'siblings: false',
        'icePortMin: 50000',
        'drain-timeout: 45s',
        'log-format: pretty',
      ].join('\n'),
    );
    const c = loadRelayConfig(['--config', file], {});
    expect(c).toMatchObject({ id: 'edge-1', parent: 'ws://10.0.0.2:8100/relay', iceAddress: '203.0.113.7', siblings: false, icePortMin: 50000, idleCloseAfter: 7000, drainTimeout: 45_000, logFormat: 'pretty' });
    expect(c.listen).toEqual({ host: '0.0.0.0', port: 8100 });
    const yml = join(dir, 'bad.yml');
    writeFileSync(yml, 'id: r\nidle-close-after: soon\n');
    expect(() => loadRelayConfig([...required, '--config', yml], {})).toThrow(/--idle-close-after: expected a duration/);
    writeFileSync(yml, 'id: r\nidleClose: 1\n');
    expect(() => loadRelayConfig([...required, '--config', yml], {})).toThrow(/unknown key "idleClose"/);
    writeFileSync(yml, 'id: r\nid: s\n');
    expect(() => loadRelayConfig([...required, '--config', yml], {})).toThrow(/--config: cannot read .*bad\.yml/);
    writeFileSync(yml, '- a list\n');
    expect(() => loadRelayConfig([...required, '--config', yml], {})).toThrow(/must hold a mapping/);
  });

  it('accepts only the listed values of a choice', () => {
    expect(loadRelayConfig([...required, '--log-format', 'pretty'], {}).logFormat).toBe('pretty');
    expect(loadRelayConfig(required, {}).logFormat).toBe('json');
    expect(() => loadRelayConfig([...required, '--log-format', 'xml'], {})).toThrow(/--log-format: expected one of json, pretty/);
  });

  it('parses HOST:PORT including IPv6 and port 0', () => {
    expect(parseHostPort('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseHostPort(':8000')).toEqual({ host: '0.0.0.0', port: 8000 });
    expect(parseHostPort('h:70000')).toBeNull();
  });
});
