import { describe, expect, it } from 'vitest';
import { addLongDouble, formatLongDoubleHuman, parseLongDouble, LONG_DOUBLE_ZERO } from '../../src/commands/long-double';

/**
 * HINCRBYFLOAT's arithmetic: x87 long double parsing (glibc strtold under Redis's string2ld rules),
 * addition and "%.17Lf" output. Expected values come from a C program doing exactly what Redis
 * does on x86-64 Linux (they also agree with redis-server: see test/commands/cases/hashes.txt).
 * Error codes: NOTFLOAT (increment refused), NANINF (infinite increment), HASHNOTFLOAT (stored
 * value refused), PRODUCE (the sum overflows).
 */
function hincrbyfloat(existing: string | null, increment: string): string {
  const incr = parseLongDouble(increment);
  if (incr === null) return 'NOTFLOAT';
  if (incr.infinite) return 'NANINF';
  let value = LONG_DOUBLE_ZERO;
  if (existing !== null) {
    const parsed = parseLongDouble(existing);
    if (parsed === null) return 'HASHNOTFLOAT';
    value = parsed;
  }
  const sum = addLongDouble(value, incr);
  return sum.infinite ? 'PRODUCE' : formatLongDoubleHuman(sum);
}

const CASES: [string | null, string, string][] = [
    [null, "0.1", "0.1"],
    ["0.1", "0.2", "0.3"],
    [null, "1e20", "100000000000000000000"],
    [null, "1e-20", "0"],
    [null, "3.0000000000000000001", "3"],
    [null, "0x1p-3", "0.125"],
    [null, "0X1.8P1", "3"],
    ["1234567890.123456789", "0.000000000000000001", "1234567890.12345678894780576"],
    [null, "3.814697265625e-6", "0.00000381469726562"],
    [null, "0x1p-57", "0.00000000000000001"],
    ["0x1p-57", "0x3p-57", "0.00000000000000003"],
    [null, "-0.0", "0"],
    ["-0", "-0", "0"],
    [null, "-1e-18", "0"],
    ["1e4932", "1e4932", "PRODUCE"],
    [null, "1e4940", "NOTFLOAT"],
    [null, "1e-4960", "NOTFLOAT"],
    [null, "4e-4951", "0"],
    [null, "1e-4951", "NOTFLOAT"],
    [null, "inf", "NANINF"],
    [null, "nan", "NOTFLOAT"],
    [null, " 1", "NOTFLOAT"],
    [null, "1 ", "NOTFLOAT"],
    [null, "1e", "NOTFLOAT"],
    [null, ".", "NOTFLOAT"],
    [null, "0x", "NOTFLOAT"],
    [null, ".5", "0.5"],
    [null, "5.", "5"],
    [null, "+1.5", "1.5"],
    [null, "0e999999999999", "0"],
    ["abc", "1", "HASHNOTFLOAT"],
    ["inf", "1", "PRODUCE"],
    ["10", "0.5", "10.5"],
    ["9223372036854775807", "1", "9223372036854775808"],
    ["18446744073709551615", "1", "18446744073709551616"],
    ["0.3333333333333333333333", "0.6666666666666666666667", "1"],
    ["1.18973149535723176502e4932", "1e4913", "PRODUCE"],
    [null, "-5e-18", "0"],
    [null, "5e-18", "0"],
    [null, "1.5e-17", "0.00000000000000002"],
    [null, "2.5e-17", "0.00000000000000002"],
    [null, "0x1.ffffffffffffffffp16383", "NOTFLOAT"],
    [null, "123456789012345678901234567890", "123456789012345678899921813504"],
    ["1e-17", "-1e-17", "0"],
    [null, "0x3p-18", "0.00001144409179688"],
];

describe('hashes: long double arithmetic', () => {
  it.each(CASES)('%s + %s = %s', (existing, increment, expected) => {
    expect(hincrbyfloat(existing, increment)).toBe(expected);
  });

  it('prints huge values in full, as %.17Lf does', () => {
    const big = hincrbyfloat(null, '1e4000');
    expect(big).toHaveLength(4000);
    expect(big.startsWith('999999999999999999996546387309962378493249258350695763130150')).toBe(true);
    const negative = hincrbyfloat(null, '-1e300');
    expect(negative).toHaveLength(302);
    expect(negative.startsWith('-10000000000000000000089973240795591938705239442732907479382')).toBe(true);
  });

  it('refuses NUL bytes, empty and over-long texts', () => {
    expect(parseLongDouble('')).toBeNull();
    expect(parseLongDouble('\0')).toBeNull();
    expect(parseLongDouble('1\0')).toBeNull();
    expect(parseLongDouble('0'.repeat(5119) + '1')).toBeNull();
    expect(parseLongDouble('0'.repeat(5118) + '1')).not.toBeNull();
  });

  it('round-trips its own output', () => {
    for (const text of ['0.1', '-2.5', '1234567890.12345678894780576', '100000000000000000000', '0.00000000000000001']) {
      expect(formatLongDoubleHuman(parseLongDouble(text)!)).toBe(text);
    }
  });
});
