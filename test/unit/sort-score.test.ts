import { describe, expect, it } from 'vitest';
import { parseSortScore } from '../../plugins/sort/sort-score';

describe('parseSortScore (strtod as SORT reads weights)', () => {
  it('reads what strtod reads, whole', () => {
    expect(parseSortScore('10')).toBe(10);
    expect(parseSortScore(' 1')).toBe(1);
    expect(parseSortScore('1e2')).toBe(100);
    expect(parseSortScore('0x10')).toBe(16);
    expect(parseSortScore('+3')).toBe(3);
    expect(parseSortScore('.5')).toBe(0.5);
    expect(parseSortScore('1.')).toBe(1);
    expect(parseSortScore('inf')).toBe(Infinity);
    expect(parseSortScore('-Infinity')).toBe(-Infinity);
    expect(parseSortScore('')).toBe(0);
  });

  it('refuses trailing text, NaN and out-of-range values (ERANGE)', () => {
    for (const bad of ['x', '1x', '1e', ' ', 'nan', '1e400', '-1e400', '1e-400']) expect(parseSortScore(bad), bad).toBeNull();
  });
});
