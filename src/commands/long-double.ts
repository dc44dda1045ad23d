/**
 * The x87 80-bit "long double" Redis computes HINCRBYFLOAT in (x86-64 Linux), emulated exactly
 * with BigInt: parsing as glibc's strtold() under Redis's string2ld() rules, addition rounded to
 * nearest-even, and printf("%.17Lf") with trailing zeros trimmed. Doubles would differ: 0.1 + 0.2
 * is "0.3" in Redis, and values up to ~1.19e4932 are accepted.
 *
 * A finite value is (-1)^negative × significand × 2^exponent with significand < 2^64.
 */
export interface LongDouble {
  negative: boolean;
  /** 0 for zero; below 2^64 (bit 63 set unless subnormal). */
  significand: bigint;
  exponent: number;
  infinite: boolean;
}

const SIGNIFICAND_BITS = 64;
/** Exponent of the smallest subnormal's unit: 2^-16445. */
const MIN_EXPONENT = -16445;
/** Values at or above 2^16384 overflow. */
const MAX_BIT_POSITION = 16384;
/** Redis's MAX_LONG_DOUBLE_CHARS: longer inputs are refused. */
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;
/** Decimal exponents beyond these bounds over- or underflow whatever the digits. */
const MAX_DECIMAL_MAGNITUDE = 4933;
const MIN_DECIMAL_MAGNITUDE = -4952;
const TEN_POW_17 = 10n ** 17n;

const DECIMAL = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const HEXADECIMAL = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;

export const LONG_DOUBLE_ZERO: LongDouble = { negative: false, significand: 0n, exponent: 0, infinite: false };

function zero(negative: boolean): LongDouble {
  return { negative, significand: 0n, exponent: 0, infinite: false };
}

function infinity(negative: boolean): LongDouble {
  return { negative, significand: 0n, exponent: 0, infinite: true };
}

export function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0], 16)));
}

/**
 * Rounds the exact value (q + sticky·ε) × 2^e to the nearest long double, ties to even. `sticky`
 * says nonzero bits were cut below q; callers keep at least two spare bits in q when it is set.
 */
function roundToLongDouble(negative: boolean, q: bigint, e: number, sticky: boolean): LongDouble {
  if (q === 0n) return zero(negative);
  const bits = bitLength(q);
  const unit = Math.max(e + bits - SIGNIFICAND_BITS, MIN_EXPONENT);
  let significand: bigint;
  let exponent: number;
  if (unit <= e) {
    significand = q << BigInt(e - unit);
    exponent = unit;
  } else {
    const shift = BigInt(unit - e);
    significand = q >> shift;
    const rest = q - (significand << shift);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && (sticky || (significand & 1n) === 1n))) significand++;
    exponent = unit;
    if (significand >> 64n !== 0n) {
      significand >>= 1n;
      exponent++;
    }
  }
  if (significand === 0n) return zero(negative);
  if (bitLength(significand) + exponent > MAX_BIT_POSITION) return infinity(negative);
  return { negative, significand, exponent, infinite: false };
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/**
 * Parses text as Redis's string2ld() does, or returns null where it refuses: empty or too long,
 * leading space, trailing garbage (a NUL byte included: strtold must consume the whole text), NaN,
 * overflow, or underflow to zero. Infinity is returned as such.
 */
export function parseLongDouble(text: string): LongDouble | null {
  if (text.length === 0 || text.length >= MAX_LONG_DOUBLE_CHARS) return null;
  const s = text;
  if (isSpace(s.charCodeAt(0))) return null;
  let i = 0;
  let negative = false;
  if (s[0] === '+' || s[0] === '-') {
    negative = s[0] === '-';
    i = 1;
  }
  const body = s.slice(i);
  const lower = body.toLowerCase();
  if (lower === 'inf' || lower === 'infinity') return infinity(negative);
  let m = HEXADECIMAL.exec(body);
  if (m !== null) return parseHexadecimal(negative, m[1], m[2] ?? '', m[3]);
  m = DECIMAL.exec(body);
  if (m !== null) return parseDecimal(negative, m[1], m[2] ?? '', m[3]);
  return null;
}

/** An exponent's digits as a number, saturated far beyond any representable magnitude. */
function exponentOf(digits: string | undefined): number {
  if (digits === undefined) return 0;
  const n = Number(digits);
  return Math.max(-1e9, Math.min(1e9, n));
}

function parseDecimal(negative: boolean, whole: string, fraction: string, exponentText: string | undefined): LongDouble | null {
  if (whole.length + fraction.length === 0) return null;
  let digits = (whole + fraction).replace(/^0+/, '');
  if (digits.length === 0) return zero(negative);
  let exponent10 = exponentOf(exponentText) - fraction.length;
  const trailing = digits.length - digits.replace(/0+$/, '').length;
  if (trailing > 0) {
    digits = digits.slice(0, digits.length - trailing);
    exponent10 += trailing;
  }
  const magnitude = digits.length - 1 + exponent10;
  if (magnitude >= MAX_DECIMAL_MAGNITUDE) return null;
  if (magnitude < MIN_DECIMAL_MAGNITUDE) return null;
  const d = BigInt(digits);
  let result: LongDouble;
  if (exponent10 >= 0) {
    result = roundToLongDouble(negative, d * 10n ** BigInt(exponent10), 0, false);
  } else {
    const denominator = 10n ** BigInt(-exponent10);
    const shift = Math.max(0, bitLength(denominator) - bitLength(d) + SIGNIFICAND_BITS + 3);
    const scaled = d << BigInt(shift);
    const q = scaled / denominator;
    result = roundToLongDouble(negative, q, -shift, q * denominator !== scaled);
  }
  return result.infinite || result.significand === 0n ? null : result;
}

function parseHexadecimal(negative: boolean, whole: string, fraction: string, exponentText: string | undefined): LongDouble | null {
  if (whole.length + fraction.length === 0) return null;
  const h = BigInt('0x' + whole + fraction);
  if (h === 0n) return zero(negative);
  const e = exponentOf(exponentText) - 4 * fraction.length;
  const top = bitLength(h) + e;
  if (top > MAX_BIT_POSITION + 1 || top < MIN_EXPONENT - 1) return null;
  const result = roundToLongDouble(negative, h, e, false);
  return result.infinite || result.significand === 0n ? null : result;
}

/** The exact integer n as a long double (HINCRBYFLOAT on a field holding an integer). */
export function longDoubleFromBigInt(n: bigint): LongDouble {
  return roundToLongDouble(n < 0n, n < 0n ? -n : n, 0, false);
}

/** a + b rounded to nearest-even; infinite when it overflows (or either side is infinite). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.infinite || b.infinite) return infinity(a.infinite ? a.negative : b.negative);
  if (b.significand === 0n) return a.significand === 0n ? zero(a.negative && b.negative) : a;
  if (a.significand === 0n) return b;
  const base = Math.min(a.exponent, b.exponent);
  const x = a.significand << BigInt(a.exponent - base);
  const y = b.significand << BigInt(b.exponent - base);
  const sum = (a.negative ? -x : x) + (b.negative ? -y : y);
  if (sum === 0n) return zero(false);
  return roundToLongDouble(sum < 0n, sum < 0n ? -sum : sum, base, false);
}

/**
 * printf("%.17Lf") with trailing fraction zeros (and a bare ".") removed and "-0" written "0":
 * Redis's ld2string(LD_STR_HUMAN). The value must be finite.
 */
export function formatLongDoubleHuman(x: LongDouble): string {
  if (x.significand === 0n) return '0';
  let scaled: bigint;
  if (x.exponent >= 0) {
    scaled = (x.significand << BigInt(x.exponent)) * TEN_POW_17;
  } else {
    const shift = BigInt(-x.exponent);
    const n = x.significand * TEN_POW_17;
    scaled = n >> shift;
    const rest = n - (scaled << shift);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && (scaled & 1n) === 1n)) scaled++;
  }
  const text = scaled.toString().padStart(18, '0');
  const whole = text.slice(0, text.length - 17);
  const fraction = text.slice(text.length - 17).replace(/0+$/, '');
  const body = fraction.length > 0 ? whole + '.' + fraction : whole;
  if (!x.negative || body === '0') return body;
  return '-' + body;
}
