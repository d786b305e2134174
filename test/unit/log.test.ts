import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { repeatedKeys, topLevelKeys } from '../support/jsonKeys.js';

function capture(): { lines: string[]; destination: Writable } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(l);
      done();
    },
  });
  return { lines, destination };
}

describe('child loggers', () => {
  it('write each binding once: a key the parent has takes the child value in its place', () => {
    const { lines, destination } = capture();
    const root = createLogger({ destination });
    const node = root.child({ node: 'origin' });
    const component = node.child({ component: 'node' });
    const pipe = component.child({ component: 'downlink-pipe', link: 'relay-a' });
    pipe.info('hello');
    // The same component bound again (OriginServer's archive logger under a component logger).
    component.child({ component: 'node' }).child({ stream: 's' }).info('again');
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(repeatedKeys(l), l).toEqual([]);
    expect(topLevelKeys(lines[0]!)).toEqual(['level', 'time', 'node', 'component', 'link', 'msg']);
    expect(JSON.parse(lines[0]!)).toMatchObject({ node: 'origin', component: 'downlink-pipe', link: 'relay-a', msg: 'hello' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ node: 'origin', component: 'node', stream: 's', msg: 'again' });
  });

  it('keep values that are not strings', () => {
    const { lines, destination } = capture();
    createLogger({ destination })
      .child({ n: 1, o: { a: [1, 'x'] } })
      .child({ n: 2 })
      .info('x');
    expect(repeatedKeys(lines[0]!)).toEqual([]);
    expect(JSON.parse(lines[0]!)).toMatchObject({ n: 2, o: { a: [1, 'x'] } });
  });

  it('the key helper sees repeats JSON.parse hides', () => {
    expect(repeatedKeys('{"a":1,"b":{"a":2},"c":"a\\"","a":3}')).toEqual(['a']);
  });
});
