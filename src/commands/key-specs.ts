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

/** The argument indexes (into argv, the command name at 0) of the keys a command line names. */
export function keyPositions(specs: readonly KeySpec[], argv: readonly Buffer[]): number[] {
  const positions: number[] = [];
  for (const s of specs) {
    let first: number;
    if (s.beginSearch === 'unknown') continue;
    if ('index' in s.beginSearch) {
      first = s.beginSearch.index;
    } else {
      const { keyword, startFrom } = s.beginSearch;
      const at = findKeyword(argv, keyword, startFrom);
      if (at < 0) continue;
      first = at + 1;
    }
    if (s.findKeys === 'unknown') continue;
    let last: number;
    let step: number;
    if ('lastKey' in s.findKeys) {
      const { lastKey, keyStep, limit } = s.findKeys;
      step = keyStep;
      if (lastKey >= 0) last = first + lastKey;
      else if (limit <= 1) last = argv.length + lastKey;
      else last = first + Math.floor((argv.length - first) / limit) + lastKey;
    } else {
      // As Redis counts: the keys start `firstKey` after the search start, and `numkeys` bounds the range.
      const countAt = first + s.findKeys.keyNumIndex;
      const count = countAt < argv.length ? Number(argv[countAt].toString('latin1')) : 0;
      step = s.findKeys.keyStep;
      first += s.findKeys.firstKey;
      last = first + (Number.isInteger(count) && count > 0 ? count : 0) - 1;
    }
    for (let i = first; i <= last && i < argv.length; i += step) positions.push(i);
  }
  return positions;
}

function findKeyword(argv: readonly Buffer[], keyword: string, startFrom: number): number {
  const upper = keyword.toUpperCase();
  const from = startFrom >= 0 ? startFrom : argv.length + startFrom;
  const step = startFrom >= 0 ? 1 : -1;
  for (let i = from; i > 0 && i < argv.length; i += step) {
    if (argv[i].toString('latin1').toUpperCase() === upper) return i;
  }
  return -1;
}
