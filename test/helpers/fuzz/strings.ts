import { cmd, type FuzzState, type Generator } from './command';
import type { Prng } from './prng';
import { absoluteMillis, absoluteSeconds, isPastAbsolute, relativeMillis, relativeSeconds } from './times';
import { FLOATS, INTS, KEYS, LONG_VALUES, OFFSETS, RANGE_INDEXES, VALUES } from './values';

/** Random commands of the strings plugin. */

export function key(rng: Prng): string {
  return rng.chance(0.03) ? 'missing' : rng.pick(KEYS);
}

/** Keys string commands prefer (hash commands prefer the others), so fewer calls are WRONGTYPE. */
function stringKey(rng: Prng): string {
  return rng.chance(0.7) ? rng.pick(KEYS.slice(0, 4)) : key(rng);
}

/** Mostly valid numbers, sometimes one of the invalid edges. */
function mostlyValid(rng: Prng, pool: readonly string[]): string {
  for (;;) {
    const v = rng.pick(pool);
    if (/^-?\d+$/.test(v) && v.length < 19) return v;
    if (rng.chance(0.25)) return v;
  }
}

export function value(rng: Prng): string {
  return rng.chance(0.06) ? rng.pick(LONG_VALUES) : rng.pick(VALUES);
}

function someKeys(rng: Prng, min: number, max: number): string[] {
  const out: string[] = [];
  for (let n = rng.int(min, max); n > 0; n--) out.push(stringKey(rng));
  return out;
}

/** SET's options: any subset, in any order, sometimes conflicting or repeated. */
function setOptions(rng: Prng, st: FuzzState): string[] {
  const opts: string[][] = [];
  if (rng.chance(0.4)) opts.push([rng.pick(['NX', 'XX', 'nx', 'xx'])]);
  if (rng.chance(0.3)) opts.push(['GET']);
  if (rng.chance(0.5)) {
    const kind = rng.pick(['EX', 'PX', 'EXAT', 'PXAT', 'KEEPTTL', 'ex', 'pxat']);
    const upper = kind.toUpperCase();
    if (upper === 'KEEPTTL') opts.push([kind]);
    else {
      const t = upper === 'EX' ? relativeSeconds(rng, st) : upper === 'PX' ? relativeMillis(rng, st)
        : upper === 'EXAT' ? absoluteSeconds(rng, st) : absoluteMillis(rng, st);
      if ((upper === 'EXAT' && isPastAbsolute(t, 's')) || (upper === 'PXAT' && isPastAbsolute(t, 'ms'))) st.pastSet = true;
      opts.push([kind, t]);
    }
  }
  if (rng.chance(0.05)) opts.push([rng.pick(['NX', 'XX', 'KEEPTTL', 'GET', 'EX', 'BOGUS'])]);
  if (rng.chance(0.03)) opts.push(['PX', relativeMillis(rng, st)]);
  return rng.shuffle(opts).flat();
}

function getexOptions(rng: Prng, st: FuzzState): string[] {
  return rng.weighted<() => string[]>([
    [3, () => []],
    [2, () => ['EX', relativeSeconds(rng, st)]],
    [2, () => ['PX', relativeMillis(rng, st)]],
    [2, () => ['EXAT', absoluteSeconds(rng, st)]],
    [2, () => ['PXAT', absoluteMillis(rng, st)]],
    [2, () => ['PERSIST']],
    [1, () => rng.pick([['PERSIST', 'EX', '100'], ['EX', relativeSeconds(rng, st), 'PX', '100'], ['KEEPTTL'], ['EX'], ['persist']])],
  ])();
}

function lcs(rng: Prng): ReturnType<Generator> {
  const k1 = stringKey(rng);
  const k2 = stringKey(rng);
  const opts: string[][] = [];
  if (rng.chance(0.3)) opts.push(['LEN']);
  if (rng.chance(0.4)) opts.push(['IDX']);
  if (rng.chance(0.3)) opts.push(['MINMATCHLEN', rng.pick(['0', '1', '2', '3', '5', '-1', 'x', '100'])]);
  if (rng.chance(0.3)) opts.push(['WITHMATCHLEN']);
  if (rng.chance(0.03)) opts.push([rng.pick(['BOGUS', 'MINMATCHLEN'])]);
  return { argv: ['LCS', k1, k2, ...rng.shuffle(opts).flat()], mode: { kind: 'exact' }, lcsKeys: [k1, k2] };
}

export const STRING_GENERATORS: (readonly [number, Generator])[] = [
  [6, (rng) => cmd(['GET', stringKey(rng)])],
  [10, (rng, st) => cmd(['SET', stringKey(rng), value(rng), ...setOptions(rng, st)])],
  [2, (rng) => cmd(['SETNX', stringKey(rng), value(rng)])],
  [2, (rng, st) => cmd(['SETEX', stringKey(rng), relativeSeconds(rng, st), value(rng)])],
  [2, (rng, st) => cmd(['PSETEX', stringKey(rng), relativeMillis(rng, st), value(rng)])],
  [2, (rng) => cmd(['GETSET', stringKey(rng), value(rng)])],
  [2, (rng) => cmd(['GETDEL', stringKey(rng)])],
  [4, (rng, st) => cmd(['GETEX', stringKey(rng), ...getexOptions(rng, st)])],
  [2, (rng) => cmd(['MGET', ...someKeys(rng, 1, 5)])],
  [2, (rng) => cmd(['MSET', ...someKeys(rng, 1, 3).flatMap((k) => [k, value(rng)])])],
  [2, (rng) => cmd(['MSETNX', ...someKeys(rng, 1, 3).flatMap((k) => [k, value(rng)])])],
  [3, (rng) => cmd(['APPEND', stringKey(rng), value(rng)])],
  [2, (rng) => cmd(['STRLEN', stringKey(rng)])],
  [4, (rng) => cmd([rng.pick(['GETRANGE', 'SUBSTR']), stringKey(rng), mostlyValid(rng, RANGE_INDEXES), mostlyValid(rng, RANGE_INDEXES)])],
  [3, (rng) => cmd(['SETRANGE', stringKey(rng), mostlyValid(rng, OFFSETS), rng.chance(0.8) ? rng.pick(VALUES) : rng.pick(LONG_VALUES)])],
  [3, (rng) => cmd([rng.pick(['INCR', 'DECR']), stringKey(rng)])],
  [3, (rng) => cmd([rng.pick(['INCRBY', 'DECRBY']), stringKey(rng), mostlyValid(rng, INTS)])],
  [4, (rng) => cmd(['INCRBYFLOAT', stringKey(rng), rng.pick(FLOATS)])],
  [2, lcs],
];
