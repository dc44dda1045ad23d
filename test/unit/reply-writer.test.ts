import { describe, expect, it } from 'vitest';
import { formatDouble17g, ReplyWriter } from '../../src/protocol/reply-writer';

function written(protocol: 2 | 3, fn: (w: ReplyWriter) => void): string {
  const w = new ReplyWriter();
  w.protocol = protocol;
  fn(w);
  return (w.takeView() ?? Buffer.alloc(0)).toString('latin1');
}

describe('ReplyWriter', () => {
  it('writes each type in RESP2 and RESP3 forms', () => {
    const cases: [string, (w: ReplyWriter) => void, string, string][] = [
      ['map', (w) => { w.map(1); w.bulk('k'); w.integer(1); }, '*2\r\n$1\r\nk\r\n:1\r\n', '%1\r\n$1\r\nk\r\n:1\r\n'],
      ['set', (w) => { w.set(1); w.bulk('m'); }, '*1\r\n$1\r\nm\r\n', '~1\r\n$1\r\nm\r\n'],
      ['null bulk', (w) => w.nullBulk(), '$-1\r\n', '_\r\n'],
      ['null array', (w) => w.nullArray(), '*-1\r\n', '_\r\n'],
      ['boolean', (w) => w.boolean(true), ':1\r\n', '#t\r\n'],
      ['double', (w) => w.double(1.5), '$3\r\n1.5\r\n', ',1.5\r\n'],
      ['verbatim', (w) => w.verbatim('hi'), '$2\r\nhi\r\n', '=6\r\ntxt:hi\r\n'],
      ['push', (w) => w.push(0), '*0\r\n', '>0\r\n'],
      ['binary bulk', (w) => w.bulk('\x00\xff\r\n'), '$4\r\n\x00\xff\r\n\r\n', '$4\r\n\x00\xff\r\n\r\n'],
      ['big integer', (w) => w.integer(9223372036854775807n), ':9223372036854775807\r\n', ':9223372036854775807\r\n'],
      ['error with a newline', (w) => w.error('ERR a\nb'), '-ERR a b\r\n', '-ERR a b\r\n'],
    ];
    for (const [name, fn, resp2, resp3] of cases) {
      expect(written(2, fn), name).toBe(resp2);
      expect(written(3, fn), name).toBe(resp3);
    }
  });

  it('grows for large replies and keeps bytes intact', () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    const out = written(2, (w) => w.bulk(big));
    expect(out.length).toBe(big.length + `$${big.length}\r\n`.length + 2);
    expect(out.endsWith('xx\r\n')).toBe(true);
  });

  it('bulkRange writes a slice of the source bytes, short and long, with every header width', () => {
    const source = Buffer.alloc(2000);
    for (let i = 0; i < source.length; i++) source[i] = 33 + (i % 90);
    for (const [start, end] of [[0, 0], [5, 6], [3, 12], [7, 40], [10, 110], [0, 999], [1, 1001], [0, 2000]]) {
      const slice = source.subarray(start, end).toString('latin1');
      const expected = `$${slice.length}\r\n${slice}\r\n`;
      expect(written(2, (w) => w.bulkRange(source, start, end)), `${start}..${end}`).toBe(expected);
      expect(written(3, (w) => w.bulkBuffer(source.subarray(start, end))), `${start}..${end}`).toBe(expected);
    }
  });

  it('writes bulk strings byte for byte on both sides of the short-string loop, binary included', () => {
    for (const n of [1, 31, 32, 33, 100]) {
      const value = Array.from({ length: n }, (_, i) => String.fromCharCode((i * 37 + 128) % 256)).join('');
      expect(written(2, (w) => w.bulk(value))).toBe(`$${n}\r\n${value}\r\n`);
      expect(written(2, (w) => w.status(value.replace(/[\r\n]/g, 'x')))).toBe(`+${value.replace(/[\r\n]/g, 'x')}\r\n`);
    }
    expect(written(2, (w) => w.integer(-9007199254740991))).toBe(':-9007199254740991\r\n');
  });

  it('writes lengths and integers of every digit count exactly', () => {
    for (const n of [0, 9, 10, 99, 100, 101, 999, 1000, 12345]) {
      expect(written(2, (w) => w.bulk('a'.repeat(n))).slice(0, String(n).length + 3)).toBe(`$${n}\r\n`);
      expect(written(2, (w) => w.integer(n))).toBe(`:${n}\r\n`);
      expect(written(2, (w) => w.array(n))).toBe(`*${n}\r\n`);
    }
  });

  it('discards everything when muted (replay clients)', () => {
    const w = new ReplyWriter();
    w.muted = true;
    w.ok();
    w.bulk('x');
    w.integer(5);
    expect(w.takeView()).toBeNull();
  });
});

describe("formatDouble17g matches C's printf(\"%.17g\")", () => {
  // Expected strings are what C printf produces (generated once with Python's '%.17g' % v).
  const cases: [number, string][] = [
    [0.1, '0.10000000000000001'], [1.5, '1.5'], [-2.25, '-2.25'], [1e-5, '1.0000000000000001e-05'],
    [1.2345678901234568e17, '1.2345678901234568e+17'], [3, '3'], [1 / 3, '0.33333333333333331'], [1e21, '1e+21'],
    [-1e-300, '-1e-300'], [5e-324, '4.9406564584124654e-324'], [1.7976931348623157e308, '1.7976931348623157e+308'],
    [100, '100'], [0.0001, '0.0001'], [Infinity, 'inf'], [-Infinity, '-inf'],
  ];
  for (const [value, expected] of cases) {
    it(`${value} → ${expected}`, () => expect(formatDouble17g(value)).toBe(expected));
  }
});
