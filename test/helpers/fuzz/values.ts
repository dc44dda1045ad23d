import { Prng } from './prng';

/**
 * The small universe the random differential test draws from: few keys and fields so commands
 * collide on the same data, and values chosen for the edges (empty, binary, integer-looking,
 * floats, out-of-range numbers, a few KB).
 */
export const KEYS = ['a', 'b[1]*', 'c', 'key:1', '\xff\x00k', ''] as const;
export const FIELDS = ['f0', 'f1', 'f2', '', '\x00\xff', '123'] as const;
/** Databases the test uses (and snapshots); the bad ones only appear as arguments. */
export const DBS = [0, 1, 2] as const;
export const BAD_DBS = ['16', '-1', 'x', '1.5', '99999999999999999999'] as const;

function longValue(seed: number, length: number, alphabet: string): string {
  const rng = new Prng(seed);
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[rng.int(0, alphabet.length - 1)];
  return s;
}

let allBytes = '';
for (let i = 0; i < 256; i++) allBytes += String.fromCharCode(i);

export const LONG_VALUES = [
  longValue(1, 2100, 'abc'),
  longValue(2, 1700, 'abcd'),
  longValue(3, 1200, allBytes),
  '9'.repeat(3000),
] as const;

export const VALUES = [
  '', 'a', 'ab', 'hello', 'hello world', 'abcabc', 'bca', '\x00', '\xff\xfe', 'a\r\nb', '\x00\xff\r\n',
  '0', '1', '-1', '10', '42', '007', '+5', ' 5', '5 ', '-0', '100000', '2147483648',
  '9223372036854775807', '-9223372036854775808', '9223372036854775808', '-9223372036854775809',
  '18446744073709551616', '1.1', '0.3', '-0.0', '1e20', '  ', '3.14159265358979323846', '1.5', '-2.25', '0.1', '1e3', '3.0e-2', '5.0', '.5', '1.7976931348623157e308',
  'inf', '-inf', 'nan', '0x10', '12345678901234567890123', 'x'.repeat(44), 'y'.repeat(45), 'z'.repeat(65),
] as const;

/** Integer-ish arguments for counts, offsets and increments (some of them invalid on purpose). */
export const INTS = [
  '0', '1', '2', '3', '-1', '-2', '-3', '5', '10', '-10', '100', '2147483647', '2147483648', '-2147483649',
  '9223372036854775807', '-9223372036854775808', '9223372036854775808', 'abc', '', '1.5', ' 1', '+1', '0x1',
  '-0', '007', '9223372036854775806', '-9223372036854775807', '1e3', '4611686018427387904', '-4611686018427387905',
] as const;

export const FLOATS = [
  '0', '1', '-1', '1.5', '-0.1', '0.1', '3.0e-2', '1e3', '10.50', '-5.0e0', '1e308', '-1e308', '1.7976931348623157e308',
  'inf', '-inf', '+inf', 'nan', 'abc', '', ' 1', '1 ', '0x10', '5e-324', '2e-350', '9223372036854775807', '.5', '5.',
  '0.2', '0.3', '1.1', '-3.3', '1e-5', '123456789.123456789', '2.5e-3', '1e17', '1e18', '1e20', '-1e20', '7e-10',
  '1E3', '0e0', '-0', '00.5', '1e', 'e5', '1.0000000000000001', '4.35', '1e-20', '33.333333333333333333', '+1.5',
  '0x1p3', 'infinity', '-nan', '1_0',
] as const;

/**
 * Offsets: small ones, the edges of a 1 MB proto-max-bulk-len (some episodes set it), and invalid
 * ones (536870911, valid by default, would allocate 512 MB).
 */
export const OFFSETS = ['0', '1', '2', '5', '10', '44', '100', '1000', '2500', '-1', '-5', '1048575', '1048576', '536870912', '536870913',
  '9223372036854775807', '-9223372036854775808', 'abc', '1.0'] as const;

export const RANGE_INDEXES = ['0', '1', '2', '3', '-1', '-2', '-3', '-100', '100', '5000', '-5000',
  '9223372036854775807', '-9223372036854775808', '9223372036854775808', 'x', ''] as const;

/** Glob patterns for KEYS, SCAN MATCH and HSCAN MATCH (escapes, classes, ranges, broken ones). */
export const PATTERNS = ['*', '?', 'a*', '*1', '[ab]', '[^a]', '[a-c]', '[c-a]', 'key:?', 'key\\:1', '\\a', '*\\*',
  '[', '[a', '\\', 'f?', 'f[0-1]', '*\x00*', '\xff*', '', '??*', '[!a]', '*[', 'a\\', '[\\]]', '[a-]',
  'b\\[1\\]\\*', 'b[[]1]*', 'b[1]*', '*]*', '*\\]\\*', 'b?1?\\*', '[^]]*', '[]a]*'] as const;

export const TYPES = ['string', 'hash', 'list', 'set', 'zset', 'stream', 'none', 'bogus', 'STRING', 'Hash'] as const;

/** Words used to corrupt a command (unknown options, stray arguments); never huge counts. */
export const STRAY_ARGS = ['', 'x', 'NX', 'XX', 'GT', 'LT', 'EX', 'PX', 'KEEPTTL', 'GET', 'PERSIST', 'WITHVALUES',
  'COUNT', 'MATCH', 'TYPE', 'REPLACE', 'DB', 'LEN', 'IDX', 'MINMATCHLEN', 'WITHMATCHLEN', '0', '1', '-1', '1.5'] as const;
