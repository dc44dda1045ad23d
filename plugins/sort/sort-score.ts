/**
 * A SORT weight as Redis reads one with strtod: leading white space skipped, then a decimal or
 * hexadecimal number, "inf"/"infinity" or "nan"; the whole text must be used. Returns null where
 * Redis reports "One or more scores can't be converted into double": trailing characters, NaN,
 * or a value out of double range (ERANGE, overflow or underflow). An empty text is 0, as strtod
 * leaves it.
 */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]+)$/;
const INFINITY = /^([+-]?)inf(?:inity)?$/i;
const NAN = /^[+-]?nan(?:\([0-9a-zA-Z_]*\))?$/i;
const MIN_NORMAL = 2.2250738585072014e-308;

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

export function parseSortScore(text: string): number | null {
  let start = 0;
  while (start < text.length && isSpace(text.charCodeAt(start))) start++;
  const s = start === 0 ? text : text.slice(start);
  // strtod with no digits at all consumes nothing: the end is the start, which is '\0' only when empty.
  if (text.length === 0) return 0;
  if (DECIMAL.test(s)) {
    const d = Number(s);
    if (!Number.isFinite(d)) return null;
    // glibc flags underflow (ERANGE) for results that are zero or subnormal from non-zero digits.
    if (Math.abs(d) < MIN_NORMAL && /[1-9]/.test(s.replace(/[eE].*$/, ''))) return null;
    return d;
  }
  const hex = HEX.exec(s);
  if (hex !== null) {
    const d = parseInt(hex[2], 16);
    if (!Number.isFinite(d)) return null;
    return hex[1] === '-' ? -d : d;
  }
  const inf = INFINITY.exec(s);
  if (inf !== null) return inf[1] === '-' ? -Infinity : Infinity;
  if (NAN.test(s)) return null;
  return null;
}
