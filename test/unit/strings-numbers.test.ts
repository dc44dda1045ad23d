import { describe, expect, it } from 'vitest';
import { addAsLongDouble, addInt64, isInt64Text, parseInt64Value } from '../../plugins/strings/string-numbers';
import { STRING_TYPE } from '../../plugins/strings/string-type';
import { ConfigStore } from '../../src/index';

/** Results taken from redis-server 7.0.15 on x86-64 (80-bit long double). */
const INCRBYFLOAT_CASES: [string, string, string][] = [
  ['10.5', '0.1', '10.6'],
  ['1234.1', '0', '1234.09999999999999998'],
  ['0.1', '0.2', '0.3'],
  ['1', '1e-17', '1.00000000000000001'],
  ['1', '5e-18', '1'],
  ['1', '1.5e-17', '1.00000000000000001'],
  ['3.0e3', '0.000001', '3000.00000099999999992'],
  ['999999999999999999', '1', '1000000000000000000'],
  ['-1.5', '-2.25', '-3.75'],
  ['0', '1e-4940', '0'],
  ['0x1p-16445', '0', '0'],
  ['1e4932', '1e4932', 'nan-or-infinity'],
  ['100', '-100.0000000000000001', '-0.0000000000000001'],
  ['2.5', '0x1.8p1', '5.5'],
  ['7', '-inf', 'nan-or-infinity'],
  ['9223372036854775807', '0.5', '9223372036854775807.5'],
  ['1e-30', '1e-30', '0'],
  ['-0', '-0', '0'],
  ['12345678901234567890', '0.1', '12345678901234567890'],
  ['5.0e3', '2.0e2', '5200'],
  ['0', '1e20', '100000000000000000000'],
  ['1', 'nan', 'not-a-float'],
  ['1', ' 1', 'not-a-float'],
  ['1', '1e5000', 'not-a-float'],
  ['1', '1e-5000', 'not-a-float'],
  ['abc', '1', 'not-a-float'],
  ['1', '', 'not-a-float'],
];

describe('strings: INCRBYFLOAT arithmetic (long double)', () => {
  it.skipIf(process.arch !== 'x64')('matches redis-server byte for byte', () => {
    for (const [value, increment, expected] of INCRBYFLOAT_CASES) {
      expect(addAsLongDouble(value, increment), `${value} + ${increment}`).toBe(expected);
    }
  });

  it('prints huge exact values in full', () => {
    expect(addAsLongDouble('0', '1e400')).toMatch(/^10{0,20}\d{380,}$/);
    expect(addAsLongDouble('0', '1e400').length).toBe(401);
  });
});

describe('strings: int64 helpers', () => {
  it('parses strictly, exactly past 2^53', () => {
    expect(parseInt64Value('123')).toBe(123);
    expect(parseInt64Value('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(parseInt64Value('9223372036854775808')).toBeNull();
    for (const bad of ['', ' 1', '1 ', '+1', '01', '-0', '1.0', 'abc']) expect(parseInt64Value(bad), bad).toBeNull();
  });

  it('adds with overflow detection', () => {
    expect(addInt64(1, 2)).toBe(3);
    expect(addInt64(9007199254740991, 2)).toBe(9007199254740993n);
    expect(addInt64(9223372036854775806n, 1)).toBe(9223372036854775807n);
    expect(addInt64(9223372036854775807n, 1)).toBeNull();
    expect(addInt64(-9223372036854775808n, -1)).toBeNull();
    expect(addInt64(9007199254740993n, -9007199254740993n)).toBe(0);
  });

  it('recognizes the int encoding', () => {
    expect(isInt64Text('12345')).toBe(true);
    expect(isInt64Text('-9223372036854775808')).toBe(true);
    expect(isInt64Text('9223372036854775808')).toBe(false);
    expect(isInt64Text('012')).toBe(false);
  });
});

describe('strings: data type spec', () => {
  const config = new ConfigStore();

  it('reports Redis encodings for stored values', () => {
    expect(STRING_TYPE.encoding('12345', config)).toBe('int');
    expect(STRING_TYPE.encoding('-1', config)).toBe('int');
    expect(STRING_TYPE.encoding('hello', config)).toBe('embstr');
    expect(STRING_TYPE.encoding('x'.repeat(44), config)).toBe('embstr');
    expect(STRING_TYPE.encoding('x'.repeat(45), config)).toBe('raw');
    expect(STRING_TYPE.encoding('99999999999999999999', config)).toBe('embstr');
  });

  it('owns strings only, rewrites as SET, clones by identity', () => {
    expect(STRING_TYPE.owns('x')).toBe(true);
    expect(STRING_TYPE.owns({ type: 'hash' })).toBe(false);
    const emitted: (string | Buffer)[][] = [];
    STRING_TYPE.rewrite('k', 'v\x00', (argv) => emitted.push(argv));
    expect(emitted).toEqual([['SET', 'k', 'v\x00']]);
    expect(STRING_TYPE.clone('abc')).toBe('abc');
  });

  it('estimates memory like Redis does for each encoding', () => {
    expect(STRING_TYPE.memoryUsage('12345')).toBe(16);
    expect(STRING_TYPE.memoryUsage('hello')).toBe(32);
    expect(STRING_TYPE.memoryUsage('x'.repeat(44))).toBe(64);
    expect(STRING_TYPE.memoryUsage('x'.repeat(100))).toBe(16 + 112);
  });
});
