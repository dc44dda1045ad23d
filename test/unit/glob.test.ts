import { describe, expect, it } from 'vitest';
import { compileGlob, globMatch } from '../../src/keyspace/glob';

/**
 * Redis glob semantics (KEYS, SCAN MATCH). The expected matches were taken from redis-server 7.0's
 * KEYS over the subjects below (keys as latin1 strings, so binary bytes are single characters).
 */
const SUBJECTS = ['', 'a', 'b', 'ab', 'abc', 'aXc', 'a*c', 'a?c', 'a[c', 'a]c', 'a\\c', 'a-c', 'hello', 'hallo', 'hxllo', 'heeeello', 'A', 'Z', '^', '\x00', '\xff', 'a\x00b', '-', ']'];

const REDIS_MATCHES: [string, string[]][] = [
  ['*', ['', '\x00', '-', 'A', 'Z', ']', '^', 'a', 'a\x00b', 'a*c', 'a-c', 'a?c', 'aXc', 'a[c', 'a\\c', 'a]c', 'ab', 'abc', 'b', 'hallo', 'heeeello', 'hello', 'hxllo', '\xff']],
  ['?', ['\x00', '-', 'A', 'Z', ']', '^', 'a', 'b', '\xff']],
  ['??', ['ab']],
  ['a*', ['a', 'a\x00b', 'a*c', 'a-c', 'a?c', 'aXc', 'a[c', 'a\\c', 'a]c', 'ab', 'abc']],
  ['*c', ['a*c', 'a-c', 'a?c', 'aXc', 'a[c', 'a\\c', 'a]c', 'abc']],
  ['a?c', ['a*c', 'a-c', 'a?c', 'aXc', 'a[c', 'a\\c', 'a]c', 'abc']],
  ['a\\*c', ['a*c']],
  ['a\\?c', ['a?c']],
  ['a[bX]c', ['aXc', 'abc']],
  ['a[^bX]c', ['a*c', 'a-c', 'a?c', 'a[c', 'a\\c', 'a]c']],
  ['a[a-z]c', ['abc']],
  ['a[z-a]c', ['abc']],
  ['a[A-Z]c', ['aXc']],
  ['a[\\]]c', ['a]c']],
  ['a[\\\\]c', ['a\\c']],
  ['a[]c', []],
  ['a[', []],
  ['a[c', []],
  ['[', []],
  ['[]', []],
  ['[^]', ['\x00', '-', 'A', 'Z', ']', '^', 'a', 'b', '\xff']],
  ['[a-]', [']', '^', 'a']],
  ['[-a]', ['-', 'a']],
  ['[]a]', []],
  ['h?llo', ['hallo', 'hello', 'hxllo']],
  ['h*llo', ['hallo', 'heeeello', 'hello', 'hxllo']],
  ['h[ae]llo', ['hallo', 'hello']],
  ['h[^e]llo', ['hallo', 'hxllo']],
  ['h[a-b]llo', ['hallo']],
  ['a\\', []],
  ['\\', []],
  ['a\\x', []],
  ['[\\x00]', []],
  ['*\xff', ['\xff']],
  ['**', ['\x00', '-', 'A', 'Z', ']', '^', 'a', 'a\x00b', 'a*c', 'a-c', 'a?c', 'aXc', 'a[c', 'a\\c', 'a]c', 'ab', 'abc', 'b', 'hallo', 'heeeello', 'hello', 'hxllo', '\xff']],
  ['*a*', ['a', 'a\x00b', 'a*c', 'a-c', 'a?c', 'aXc', 'a[c', 'a\\c', 'a]c', 'ab', 'abc', 'hallo']],
  ['a**c', ['a*c', 'a-c', 'a?c', 'aXc', 'a[c', 'a\\c', 'a]c', 'abc']],
  ['[^a]', ['\x00', '-', 'A', 'Z', ']', '^', 'b', '\xff']],
  ['[!a]', ['a']],
  ['[a-c-e]', ['-', 'a', 'b']],
  ['[\\-]', ['-']],
  ['[^-]', ['\x00', 'A', 'Z', ']', '^', 'a', 'b', '\xff']],
];

/** A subject that counts how many characters the matcher reads: work done, not time taken. */
function countingSubject(text: string): { subject: string; reads: () => number } {
  let reads = 0;
  // A String object whose charCodeAt is replaced: the matcher only uses length and charCodeAt.
  const wrapper: { length: number; charCodeAt(i: number): number } = Object(text);
  wrapper.charCodeAt = (i: number): number => {
    reads++;
    return text.charCodeAt(i);
  };
  return { subject: wrapper as unknown as string, reads: () => reads };
}

describe('glob: Redis pattern semantics', () => {
  for (const [pattern, expected] of REDIS_MATCHES) {
    it(`matches ${JSON.stringify(pattern)} as redis-server does`, () => {
      const match = compileGlob(pattern);
      expect(SUBJECTS.filter((s) => match(s)).sort()).toEqual([...expected].sort());
    });
  }

  it('treats only a lone "*" as match-all (the empty key included)', () => {
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('**', '')).toBe(false);
    expect(globMatch('', '')).toBe(true);
    expect(globMatch('', 'a')).toBe(false);
  });

  it('matches case-insensitively when asked (CONFIG GET, COMMAND LIST)', () => {
    expect(globMatch('HASH-*', 'hash-max-listpack-entries', true)).toBe(true);
    expect(globMatch('[A-C]x', 'bx', true)).toBe(true);
    expect(globMatch('HASH-*', 'hash-max-listpack-entries')).toBe(false);
  });
});

describe('glob: bounded work', () => {
  const pattern = 'a*a*a*a*a*a*a*a*a*a*b';
  const length = 10_000;

  it('does work linear in pattern x subject on a*a*...*b against 10k-character keys', () => {
    const match = compileGlob(pattern);
    const subjects = [
      'a'.repeat(length),
      'a'.repeat(length - 1) + 'c',
      'ab'.repeat(length / 2),
      'a'.repeat(length - 1) + 'b',
    ];
    const expected = [false, false, true, true];
    const started = performance.now();
    subjects.forEach((text, i) => {
      const { subject, reads } = countingSubject(text);
      expect(match(subject)).toBe(expected[i]);
      // A backtracking matcher would need about length^10 reads; this one stays within a small
      // multiple of pattern length x subject length.
      expect(reads()).toBeGreaterThanOrEqual(length); // the counter does see the matcher's reads
      expect(reads()).toBeLessThanOrEqual(pattern.length * length * 2);
    });
    // Generous: the whole batch takes milliseconds.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('still returns the right answers on long subjects', () => {
    const long = 'x'.repeat(5000) + 'needle' + 'y'.repeat(5000);
    expect(globMatch('*needle*', long)).toBe(true);
    expect(globMatch('x*n?edle*y', long)).toBe(true);
    expect(globMatch('*needle', long)).toBe(false);
    expect(globMatch('*[n]eedle*[^x]', long)).toBe(true);
  });
});
