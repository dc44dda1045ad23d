/**
 * Strict number parsing, as Redis's string2ll / string2ld: no spaces, no "+", no leading zeros.
 */
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** Parses a signed 64-bit integer exactly, or null. */
export function parseInt64(buf: Buffer | string): bigint | null {
  const s = typeof buf === 'string' ? buf : buf.latin1Slice(0, buf.length);
  if (!isIntegerText(s)) return null;
  const n = BigInt(s);
  return n > INT64_MAX || n < INT64_MIN ? null : n;
}

/**
 * Parses a signed 64-bit integer as a JS number (exact up to 2^53, approximate beyond, which is
 * enough for range checks of counts and times), or null.
 */
export function parseInteger(buf: Buffer | string): number | null {
  const s = typeof buf === 'string' ? buf : buf.latin1Slice(0, buf.length);
  if (!isIntegerText(s)) return null;
  if (s.length <= 15) return Number(s);
  const n = BigInt(s);
  return n > INT64_MAX || n < INT64_MIN ? null : Number(n);
}

function isIntegerText(s: string): boolean {
  const len = s.length;
  if (len === 0 || len > 20) return false;
  if (len === 1 && s.charCodeAt(0) === 48) return true;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    i = 1;
    if (len === 1) return false;
  }
  const first = s.charCodeAt(i);
  if (first < 49 || first > 57) return false;
  for (i++; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Parses a double as Redis's string2ld/strtold would accept it, or null. NaN is refused. */
export function parseDouble(buf: Buffer | string): number | null {
  const s = typeof buf === 'string' ? buf : buf.latin1Slice(0, buf.length);
  if (s.length === 0 || s.length > 5000) return null;
  const c0 = s.charCodeAt(0);
  const cl = s.charCodeAt(s.length - 1);
  // strtod skips leading spaces; Redis rejects them explicitly.
  if (c0 === 32 || cl === 32 || (c0 >= 9 && c0 <= 13) || (cl >= 9 && cl <= 13)) return null;
  const lower = s.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s) && !/^[+-]?0x[0-9a-f]+(\.[0-9a-f]*)?(p[+-]?\d+)?$/i.test(s)) return null;
  const n = /x/i.test(s) ? parseHexFloat(s) : Number(s);
  return Number.isNaN(n) ? null : n;
}

function parseHexFloat(s: string): number {
  const m = /^([+-]?)0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i.exec(s)!;
  const intPart = m[2] === '' ? 0 : parseInt(m[2], 16);
  let frac = 0;
  const fracDigits = m[3] ?? '';
  for (let i = 0; i < fracDigits.length; i++) frac += parseInt(fracDigits[i], 16) / 16 ** (i + 1);
  const value = (intPart + frac) * 2 ** Number(m[4] ?? 0);
  return m[1] === '-' ? -value : value;
}

/** Case-insensitive comparison of an argument with an ASCII keyword given in upper case. */
export function isKeyword(arg: Buffer, upper: string): boolean {
  if (arg.length !== upper.length) return false;
  for (let i = 0; i < arg.length; i++) {
    let c = arg[i];
    if (c >= 97 && c <= 122) c -= 32;
    if (c !== upper.charCodeAt(i)) return false;
  }
  return true;
}

/** An argument as an upper-case keyword (for switch statements over options). */
export function keywordOf(arg: Buffer): string {
  return arg.latin1Slice(0, arg.length).toUpperCase();
}
