import { bytesToString } from 'redix-server';

const ULONG_MAX = (1n << 64n) - 1n;

/**
 * A SCAN cursor read the way Redis reads it (strtoul, base 10): optional sign, digits, nothing after
 * (the text ends at a NUL byte, as a C string does); "" is 0, "-1" wraps to 2^64-1; a leading space
 * or an overflow is invalid. Returns the canonical decimal form ("0" starts an iteration), or null.
 */
export function parseScanCursor(arg: Buffer): string | null {
  const nul = arg.indexOf(0);
  const text = bytesToString(nul < 0 ? arg : arg.subarray(0, nul));
  if (text.length === 0) return '0';
  if (text.length <= 15 && /^[0-9]+$/.test(text)) return String(Number(text));
  const m = /^([+-]?)([0-9]+)$/.exec(text);
  if (m === null) return null;
  const magnitude = BigInt(m[2]);
  if (magnitude > ULONG_MAX) return null;
  const value = m[1] === '-' ? (ULONG_MAX + 1n - magnitude) & ULONG_MAX : magnitude;
  return String(value);
}
