import type { Prng } from './prng';
import type { TimeSource } from './times';

/** How two replies to one command are compared. */
export type CompareMode =
  | { kind: 'exact' }
  /** Aggregate compared as a multiset (KEYS, HKEYS). */
  | { kind: 'unordered' }
  /** Aggregate compared as a multiset of consecutive pairs, or a RESP3 map (HGETALL). */
  | { kind: 'pairs' }
  /** Random or volatile: only the type and element count (RANDOMKEY, OBJECT IDLETIME). */
  | { kind: 'shape' }
  /** [cursor, items]: cursor exact, items as a multiset (of pairs for HSCAN). */
  | { kind: 'scan'; pairs: boolean }
  /** A non-negative integer within a tolerance (TTL, PTTL, EXPIRETIME); negatives exact. */
  | { kind: 'near'; tolerance: number }
  /** HRANDFIELD: shape, and a multiset when a positive count returned the whole hash. */
  | { kind: 'hrandfield'; count: number | null }
  /**
   * OBJECT ENCODING / REFCOUNT: exact, but for the documented string approximation (Redix keeps no
   * record of how a string was made: see plugins/strings/string-type.ts): Redis says "raw" for a
   * short string changed in place (APPEND, SETRANGE) and "embstr" (refcount 1) for INCRBYFLOAT's
   * integral results, where Redix reports what SET of the same bytes would give.
   */
  | { kind: 'encoding' };

export const EXACT: CompareMode = { kind: 'exact' };
export const UNORDERED: CompareMode = { kind: 'unordered' };
export const PAIRS: CompareMode = { kind: 'pairs' };
export const SHAPE: CompareMode = { kind: 'shape' };

export interface FuzzCommand {
  argv: string[];
  mode: CompareMode;
  /** LCS keys: the runner skips the command when their lengths would make it too costly. */
  lcsKeys?: [string, string];
}

/** What the generator knows about the session it writes for. */
export interface FuzzState extends TimeSource {
  /** A SET with a past EXAT/PXAT leaves a logically expired key that DBSIZE may still count. */
  pastSet: boolean;
}

export type Generator = (rng: Prng, state: FuzzState) => FuzzCommand;

export function cmd(argv: string[], mode: CompareMode = EXACT): FuzzCommand {
  return { argv, mode };
}
