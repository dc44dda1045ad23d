/**
 * The keys of one command line and what the command does with each, as Redis 7.0 finds them
 * (db.c getKeysFromCommandWithSpecs): from the key specs when they are complete and their flags
 * fixed, else from the command's own `getKeys`. COMMAND GETKEYS / GETKEYSANDFLAGS and client-side
 * caching read them.
 */
import type { KeySpec, KeySpecFlag } from './key-specs';

/** One key argument: its index in argv (the command name at 0) and its key-spec flags. */
export interface KeyReference {
  pos: number;
  flags: readonly KeySpecFlag[];
}

/** What the search needs of a command spec. */
export interface KeySource {
  getKeys?: (argv: readonly Buffer[]) => KeyReference[];
}

const NO_FLAGS: readonly KeySpecFlag[] = [];

/** The keys of `argv`; empty when none can be found (Redis then answers "Invalid arguments"). */
export function commandKeys(source: KeySource, specs: readonly KeySpec[], argv: readonly Buffer[]): KeyReference[] {
  const hasKeySpec = specs.some((s) => !s.flags.includes('not_key'));
  const variableFlags = specs.some((s) => s.flags.includes('variable_flags'));
  if (hasKeySpec && !variableFlags) {
    const found = keysFromSpecs(specs, argv);
    if (found !== null) return found;
  }
  if (source.getKeys !== undefined) return source.getKeys(argv);
  // Redis's "count of keys" commands (EVAL, ZUNIONSTORE, LMPOP ...) all fall back to one routine
  // reading the count loosely (atoi): derived here from the keynum spec, so plugins get it too.
  const keynum = countedKeysFallback(specs, argv);
  if (keynum !== null) return keynum;
  return variableFlags ? keysFromSpecs(specs, argv) ?? [] : [];
}

/** Follows the key specs (Redis's getKeysUsingKeySpecs); null when one of them cannot be followed. */
export function keysFromSpecs(specs: readonly KeySpec[], argv: readonly Buffer[]): KeyReference[] | null {
  const argc = argv.length;
  const keys: KeyReference[] = [];
  for (const spec of specs) {
    if (spec.flags.includes('not_key')) continue;
    let first: number;
    const begin = spec.beginSearch;
    if (begin === 'unknown') return null;
    if ('index' in begin) {
      first = begin.index;
    } else {
      const at = findKeyword(argv, begin.keyword, begin.startFrom);
      if (at < 0) continue; // the keyword is optional: no keys from this spec
      first = at + 1;
    }
    const find = spec.findKeys;
    if (find === 'unknown') return null;
    let last: number;
    let step: number;
    if ('lastKey' in find) {
      step = find.keyStep;
      if (find.lastKey >= 0) last = first + find.lastKey;
      else if (find.limit === 0) last = argc + find.lastKey;
      else last = first + Math.floor((argc - first) / find.limit) + find.lastKey;
    } else {
      step = find.keyStep;
      const countAt = first + find.keyNumIndex;
      if (countAt >= argc) return null;
      const count = strictCount(argv[countAt]);
      if (count === null) return null;
      first += find.firstKey;
      last = first + count - 1;
    }
    // Out of bounds is a syntax error the command itself reports.
    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) keys.push({ pos: i, flags: spec.flags });
    if (spec.flags.includes('incomplete')) return null;
  }
  return keys;
}

/**
 * Redis's keyword search: from `startFrom` (negative: from the end, backwards), never looking at
 * the last argument going forwards nor at argument 1 going backwards.
 */
function findKeyword(argv: readonly Buffer[], keyword: string, startFrom: number): number {
  const argc = argv.length;
  const start = startFrom > 0 ? startFrom : argc + startFrom;
  const end = startFrom > 0 ? argc - 1 : 1;
  for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
    if (i >= argc || i < 1) break;
    if (equalsIgnoreCase(argv[i], keyword)) return i;
  }
  return -1;
}

function equalsIgnoreCase(arg: Buffer, word: string): boolean {
  if (arg.length !== word.length) return false;
  for (let i = 0; i < word.length; i++) {
    let c = arg[i];
    if (c >= 97 && c <= 122) c -= 32;
    let w = word.charCodeAt(i);
    if (w >= 97 && w <= 122) w -= 32;
    if (c !== w) return false;
  }
  return true;
}

/** A non-negative count as string2ll reads it (no sign, spaces or leading zeros), or null. */
function strictCount(arg: Buffer): number | null {
  const s = arg.latin1Slice(0, arg.length);
  if (!/^(0|-?[1-9][0-9]{0,18})$/.test(s)) return null;
  const n = Number(s);
  return n < 0 ? null : n;
}

/** C's atoi: leading spaces, a sign, digits up to the first other character; 0 when none. */
function looseInteger(arg: Buffer): number {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)/.exec(arg.latin1Slice(0, arg.length));
  return m === null ? 0 : Number(m[1]);
}

/**
 * Redis's genericGetKeys for a command with a keynum spec (and maybe a destination key at 1): the
 * counted keys then the destination, without flags; none when the count does not fit the line.
 */
function countedKeysFallback(specs: readonly KeySpec[], argv: readonly Buffer[]): KeyReference[] | null {
  const counted = specs.find((s) => typeof s.findKeys === 'object' && 'keyNumIndex' in s.findKeys);
  if (counted === undefined || typeof counted.beginSearch !== 'object' || !('index' in counted.beginSearch)) return null;
  const find = counted.findKeys as { keyNumIndex: number; firstKey: number; keyStep: number };
  const countAt = counted.beginSearch.index + find.keyNumIndex;
  const firstKey = counted.beginSearch.index + find.firstKey;
  const num = countAt < argv.length ? looseInteger(argv[countAt]) : 0;
  if (num < 1 || num > Math.trunc((argv.length - firstKey) / find.keyStep)) return [];
  const keys: KeyReference[] = [];
  for (let i = 0; i < num; i++) keys.push({ pos: firstKey + i * find.keyStep, flags: NO_FLAGS });
  const store = specs.find((s) => s !== counted && typeof s.beginSearch === 'object' && 'index' in s.beginSearch);
  if (store !== undefined) keys.push({ pos: (store.beginSearch as { index: number }).index, flags: NO_FLAGS });
  return keys;
}
