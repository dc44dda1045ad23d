import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLongDoubleHex, longDoubleFromNumber, longDoubleToNumber, parseLongDouble, type LongDouble } from '../../src/api/numbers';
import { ModuleFieldReader, ModuleFieldWriter } from '../../src/persistence/module-type-io';
import { RdbBufferReader, RdbBufferWriter } from '../../src/api/persistence';

/**
 * Long doubles as Redis module fields: RM_SaveLongDouble writes ld2string(LD_STR_HEX), i.e.
 * glibc's printf("%La") of the x87 80-bit value. The expected texts below are what glibc printed
 * on x86-64 Linux; where a C compiler is present, random values are checked against it too.
 */
const ld = (text: string): LongDouble => parseLongDouble(text)!;

describe('formatLongDoubleHex (glibc %La of an x87 long double)', () => {
  it('prints doubles as glibc prints them cast to long double', () => {
    const cases: [number, string][] = [
      [1, '0x8p-3'], [0.5, '0x8p-4'], [3, '0xcp-2'], [-2.5, '-0xap-2'], [0, '0x0p+0'], [-0, '-0x0p+0'],
      [0.1, '0xc.cccccccccccdp-7'], [15, '0xfp+0'], [16, '0x8p+1'], [17, '0x8.8p+1'], [123456789, '0xe.b79a2ap+23'],
      [Infinity, 'inf'], [-Infinity, '-inf'],
    ];
    for (const [n, text] of cases) expect(formatLongDoubleHex(longDoubleFromNumber(n)), String(n)).toBe(text);
  });

  it('prints every bit of a long double, subnormals included', () => {
    const cases: [string, string][] = [
      ['0.1', '0xc.ccccccccccccccdp-7'], ['1e300', '0xb.f21e44003acdd2dp+993'],
      ['0x8p-16385', '0x8p-16385'], ['0x2p-16385', '0x2p-16385'], ['0x0.000000000000001p-16385', '0x0.000000000000001p-16385'],
      ['0xf.fffffffffffffffp+16380', '0xf.fffffffffffffffp+16380'],
    ];
    for (const [input, text] of cases) expect(formatLongDoubleHex(ld(input)), input).toBe(text);
    // A value built by hand, not normalized, prints as the x87 format holds it.
    expect(formatLongDoubleHex({ negative: false, significand: 1n, exponent: 0, infinite: false })).toBe('0x8p-3');
  });
});

describe('longDoubleToNumber / longDoubleFromNumber', () => {
  it('rounds to the nearest double, ties to even, with subnormals, overflow and underflow', () => {
    expect(longDoubleToNumber(ld('0.1'))).toBe(0.1);
    expect(longDoubleToNumber(ld('1e-320'))).toBe(1e-320);
    expect(longDoubleToNumber(ld('1e400'))).toBe(Infinity);
    expect(longDoubleToNumber(ld('-1e400'))).toBe(-Infinity);
    expect(Object.is(longDoubleToNumber(ld('-1e-400')), -0)).toBe(true);
    // 1 + 2^-53 is halfway between 1 and the next double: even wins (1); 1 + 3·2^-54 rounds up.
    expect(longDoubleToNumber(ld('0x8.0000000000004p-3'))).toBe(1);
    expect(longDoubleToNumber(ld('0x8.0000000000006p-3'))).toBe(1 + 2 ** -52);
    // The largest double, and just past the halfway point beyond it.
    expect(longDoubleToNumber(ld('0xf.ffffffffffff8p+1020'))).toBe(Number.MAX_VALUE);
    expect(longDoubleToNumber(ld('0xf.ffffffffffffcp+1020'))).toBe(Infinity);
  });

  it('keeps every double exactly', () => {
    for (const n of [0.1, -1 / 3, 2 ** -1074, Number.MIN_VALUE * 3, 2 ** -1022, Number.MAX_VALUE, 123.456e200, -0]) {
      expect(Object.is(longDoubleToNumber(longDoubleFromNumber(n)), n), String(n)).toBe(true);
    }
  });
});

describe('saveLongDouble / loadLongDouble fields', () => {
  const roundTrip = (save: (w: ModuleFieldWriter) => void) => {
    const out = new RdbBufferWriter({ compression: false });
    save(new ModuleFieldWriter(out));
    return { bytes: out.take() };
  };
  const reader = (bytes: Buffer) => new ModuleFieldReader(new RdbBufferReader(bytes), 'test-type');

  it('are a string field holding the %La text, as RM_SaveLongDouble writes them', () => {
    const { bytes } = roundTrip((w) => w.saveLongDouble(1));
    expect(bytes).toEqual(Buffer.concat([Buffer.from([5, 6]), Buffer.from('0x8p-3')]));
  });

  it('read back as numbers (rounded) or exactly, NaN as "nan"', () => {
    const { bytes } = roundTrip((w) => {
      w.saveLongDouble(-0.1);
      w.saveLongDouble(ld('0.1'));
      w.saveLongDouble(ld('0.1'));
      w.saveLongDouble(NaN);
      w.saveString('12.5'); // a decimal text, as string2ld also reads
    });
    const r = reader(bytes);
    expect(r.loadLongDouble()).toBe(-0.1);
    expect(r.loadLongDouble()).toBe(0.1);
    expect(r.loadLongDoubleExact()).toEqual(ld('0.1'));
    expect(r.loadLongDouble()).toBeNaN();
    expect(r.loadLongDouble()).toBe(12.5);
  });

  it('refuse a string that is not a long double', () => {
    const { bytes } = roundTrip((w) => w.saveString('twelve'));
    expect(() => reader(bytes).loadLongDouble()).toThrow(`module type 'test-type' read a long double field holding "twelve", which is not one`);
  });
});

const hasCompiler = spawnSync('cc', ['--version']).error === undefined;

describe.skipIf(!hasCompiler)('long doubles against the C library (cc, strtold, printf)', () => {
  it('format, parse and round random values as glibc does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redix-ld-'));
    try {
      const source = join(dir, 'ld.c');
      writeFileSync(source, [
        '#include <stdio.h>', '#include <stdlib.h>',
        'int main(void) { char kind, text[128];',
        '  while (scanf(" %c %127s", &kind, text) == 2) {',
        '    if (kind == \'L\') { long double x = strtold(text, NULL); printf("%La %.17g\\n", x, (double)x); }',
        '    else { double d = strtod(text, NULL); printf("%La\\n", (long double)d); } }',
        '  return 0; }',
      ].join('\n'));
      const binary = join(dir, 'ld');
      expect(spawnSync('cc', ['-o', binary, source]).status).toBe(0);

      let seed = 12345;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const hexDigits = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
      const inputs: string[] = [];
      for (let i = 0; i < 400; i++) {
        // Significands of all 64 bits, exponents around the double range's edges and beyond.
        const exponent = [-1090, -1075, -1030, -10, 0, 60, 1015, 1030][i % 8] + Math.floor(random() * 12);
        inputs.push(`L ${random() < 0.5 ? '-' : ''}0x${'89abcdef'[Math.floor(random() * 8)]}.${hexDigits(15)}p${exponent}`);
        const double = (random() - 0.5) * 10 ** Math.floor(random() * 600 - 300);
        inputs.push(`D ${double}`);
      }
      const run = spawnSync(binary, [], { input: inputs.join('\n'), encoding: 'utf8' });
      const lines = run.stdout.trim().split('\n');
      expect(lines.length).toBe(inputs.length);
      const toNumber = (s: string) => (s === 'inf' ? Infinity : s === '-inf' ? -Infinity : Number(s));
      for (let i = 0; i < inputs.length; i++) {
        const [kind, text] = inputs[i].split(' ');
        if (kind === 'L') {
          const [hex, asDouble] = lines[i].split(' ');
          const x = ld(text);
          expect(formatLongDoubleHex(x), text).toBe(hex);
          expect(Object.is(longDoubleToNumber(x), toNumber(asDouble)), `${text} -> ${asDouble}`).toBe(true);
        } else {
          expect(formatLongDoubleHex(longDoubleFromNumber(Number(text))), text).toBe(lines[i]);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
