/**
 * Redis 7's key specifications: where a command's keys are and what it does with them. COMMAND
 * INFO reports them, COMMAND GETKEYS and the legacy first/last/step fields are derived from them.
 */

/** Key flags in the order Redis lists them. */
export const KEY_SPEC_FLAGS = ['RO', 'RW', 'OW', 'RM', 'access', 'update', 'insert', 'delete', 'not_key', 'incomplete', 'variable_flags'] as const;
export type KeySpecFlag = (typeof KEY_SPEC_FLAGS)[number];

/** Where the search for keys begins: at an argument index, or after a keyword found from `startFrom`. */
export type BeginSearch = { index: number } | { keyword: string; startFrom: number } | 'unknown';

/**
 * How the keys are found from there: a range (`lastKey` relative to the start, or negative from the
 * end; every `keyStep`-th argument; `limit` > 1 takes 1/limit of the rest), or a count argument.
 */
export type FindKeys = { lastKey: number; keyStep: number; limit: number } | { keyNumIndex: number; firstKey: number; keyStep: number } | 'unknown';

export interface KeySpec {
  notes?: string;
  flags: readonly KeySpecFlag[];
  beginSearch: BeginSearch;
  findKeys: FindKeys;
}

/** The common case: keys from argument `index`, `lastKey` relative to it (-1 = to the end), every `keyStep`. */
export function keysAt(index: number, flags: readonly KeySpecFlag[], lastKey = 0, keyStep = 1): KeySpec {
  return { flags, beginSearch: { index }, findKeys: { lastKey, keyStep, limit: 0 } };
}

interface LegacyKeyFields {
  firstKey?: number;
  lastKey?: number;
  keyStep?: number;
  keySpecs?: readonly KeySpec[];
}

/** A spec's key specs: its own, or one plain spec made from the firstKey/lastKey/keyStep shorthand. */
export function keySpecsOf(spec: LegacyKeyFields): readonly KeySpec[] {
  if (spec.keySpecs !== undefined) return spec.keySpecs;
  if (spec.firstKey === undefined || spec.firstKey === 0) return [];
  const last = spec.lastKey ?? spec.firstKey;
  return [keysAt(spec.firstKey, [], last < 0 ? last : last - spec.firstKey, spec.keyStep ?? 1)];
}

/**
 * COMMAND INFO's first key, last key and step, merged from the index/range key specs the way
 * Redis does it: one range spec as it is, several only while they are adjacent with step 1.
 */
export function legacyKeyRange(specs: readonly KeySpec[]): [number, number, number] {
  const plain = (s: KeySpec) => typeof s.beginSearch === 'object' && 'index' in s.beginSearch && typeof s.findKeys === 'object' && 'lastKey' in s.findKeys;
  if (specs.length === 1 && plain(specs[0])) {
    const begin = (specs[0].beginSearch as { index: number }).index;
    const find = specs[0].findKeys as { lastKey: number; keyStep: number };
    return [begin, find.lastKey < 0 ? find.lastKey : begin + find.lastKey, find.keyStep];
  }
  let first = Infinity;
  let last = 0;
  let previousLast = 0;
  for (const s of specs) {
    if (!plain(s)) continue;
    const begin = (s.beginSearch as { index: number }).index;
    const find = s.findKeys as { lastKey: number; keyStep: number };
    if (find.keyStep !== 1 || (previousLast !== 0 && previousLast !== begin - 1)) continue;
    first = Math.min(first, begin);
    const absolute = find.lastKey >= 0 ? begin + find.lastKey : find.lastKey;
    // Redis compares unsigned, so a negative ("to the end") last key wins.
    last = last < 0 ? last : absolute < 0 ? absolute : Math.max(last, absolute);
    previousLast = last;
  }
  return first === Infinity ? [0, 0, 0] : [first, last, 1];
}
