import { canonicalUnordered, parseReply, shapeOf, type RespNode } from '../resp-tree';
import type { CompareMode } from './command';

/**
 * Compares two raw replies under a mode. Every lenient mode falls back to exact bytes when a reply
 * is not of the shape the mode expects (an error, a null, a corrupted command's reply).
 */
export function sameReply(mode: CompareMode, a: Buffer, b: Buffer): boolean {
  if (a.equals(b)) return true;
  if (mode.kind === 'exact') return false;
  if (mode.kind === 'encoding') return KNOWN_STRING_ENCODING_GAPS.has(`${a.toString('latin1')}|${b.toString('latin1')}`);
  const x = parseReply(a);
  const y = parseReply(b);
  if (x.type !== y.type || x.type === '-') return false;
  switch (mode.kind) {
    case 'unordered':
    case 'pairs':
      return canonicalUnordered(x, mode.kind === 'pairs') === canonicalUnordered(y, mode.kind === 'pairs');
    case 'shape':
      return shapeOf(x) === shapeOf(y);
    case 'near':
      return nearInteger(x, y, mode.tolerance);
    case 'scan':
      return sameScan(x, y, mode.pairs);
    case 'hrandfield':
      if (shapeOf(x) !== shapeOf(y)) return false;
      // A positive count larger than the hash returns all of it: then the content is known.
      if (mode.count !== null && mode.count > 0 && x.children !== null && x.children.length < mode.count) {
        return canonicalUnordered(x, false) === canonicalUnordered(y, false);
      }
      return true;
  }
}

/** BigInt: TTLs near 2^63 ms must not lose precision in the comparison itself. */
/** redis|redix reply pairs of the documented string-encoding approximation (see CompareMode). */
const KNOWN_STRING_ENCODING_GAPS = new Set([
  '$3\r\nraw\r\n|$6\r\nembstr\r\n',
  '$3\r\nraw\r\n|$3\r\nint\r\n',
  '$6\r\nembstr\r\n|$3\r\nint\r\n',
  ':1\r\n|:2147483647\r\n',
]);

function integerOf(n: RespNode): bigint | null {
  if (n.type !== ':') return null;
  return BigInt(n.raw.latin1Slice(1, n.raw.length - 2));
}

function nearInteger(x: RespNode, y: RespNode, tolerance: number): boolean {
  const p = integerOf(x);
  const q = integerOf(y);
  if (p === null || q === null || p < 0n || q < 0n) return false;
  const diff = p > q ? p - q : q - p;
  return diff <= BigInt(tolerance);
}

function sameScan(x: RespNode, y: RespNode, pairs: boolean): boolean {
  if (x.children?.length !== 2 || y.children?.length !== 2) return false;
  if (!x.children[0].raw.equals(y.children[0].raw)) return false;
  return canonicalUnordered(x.children[1], pairs) === canonicalUnordered(y.children[1], pairs);
}
