import { cmd, PAIRS, UNORDERED, type Generator } from './command';
import type { Prng } from './prng';
import { key, value } from './strings';
import { FIELDS, FLOATS, INTS, KEYS, PATTERNS } from './values';

/** Random commands of the hashes plugin. */

/** Keys hash commands prefer (string commands prefer the others), so fewer calls are WRONGTYPE. */
function hashKey(rng: Prng): string {
  return rng.chance(0.7) ? rng.pick(KEYS.slice(2)) : key(rng);
}

function field(rng: Prng): string {
  return rng.chance(0.05) ? 'nofield' : rng.pick(FIELDS);
}

function fields(rng: Prng, min: number, max: number): string[] {
  const out: string[] = [];
  for (let n = rng.int(min, max); n > 0; n--) out.push(field(rng));
  return out;
}

function pairs(rng: Prng, min: number, max: number): string[] {
  return fields(rng, min, max).flatMap((f) => [f, value(rng)]);
}

/** HRANDFIELD key [count [WITHVALUES]]: counts stay small (a negative count repeats fields). */
const hrandfield: Generator = (rng) => {
  const k = hashKey(rng);
  if (rng.chance(0.2)) return { argv: ['HRANDFIELD', k], mode: { kind: 'hrandfield', count: null } };
  const count = rng.pick(['0', '1', '2', '3', '5', '10', '-1', '-3', '-10', 'x', '1.5']);
  const argv = ['HRANDFIELD', k, count];
  if (rng.chance(0.5)) argv.push(rng.pick(['WITHVALUES', 'withvalues', 'WITHVALUES', 'BOGUS']));
  const n = /^-?\d+$/.test(count) ? Number(count) : null;
  return { argv, mode: { kind: 'hrandfield', count: n } };
};

/** HSCAN key 0 [MATCH p] [COUNT big]: one call returns everything, so items compare as a multiset. */
const hscan: Generator = (rng) => {
  const argv = ['HSCAN', hashKey(rng), rng.chance(0.95) ? '0' : rng.pick(['abc', ' 1', '18446744073709551616'])];
  const opts: string[][] = [];
  if (rng.chance(0.4)) opts.push(['MATCH', rng.pick(PATTERNS)]);
  opts.push(['COUNT', rng.chance(0.95) ? '1000' : rng.pick(['0', '-1', 'x'])]);
  if (rng.chance(0.03)) opts.push([rng.pick(['NOVALUES', 'BOGUS', 'COUNT'])]);
  return { argv: [...argv, ...rng.shuffle(opts).flat()], mode: { kind: 'scan', pairs: true } };
};

export const HASH_GENERATORS: (readonly [number, Generator])[] = [
  [10, (rng) => cmd(['HSET', hashKey(rng), ...pairs(rng, 1, 3)])],
  [2, (rng) => cmd(['HMSET', hashKey(rng), ...pairs(rng, 1, 3)])],
  [2, (rng) => cmd(['HSETNX', hashKey(rng), field(rng), value(rng)])],
  [4, (rng) => cmd(['HGET', hashKey(rng), field(rng)])],
  [2, (rng) => cmd(['HMGET', hashKey(rng), ...fields(rng, 1, 4)])],
  [3, (rng) => cmd(['HDEL', hashKey(rng), ...fields(rng, 1, 3)])],
  [2, (rng) => cmd(['HEXISTS', hashKey(rng), field(rng)])],
  [2, (rng) => cmd(['HLEN', hashKey(rng)])],
  [2, (rng) => cmd(['HSTRLEN', hashKey(rng), field(rng)])],
  [2, (rng) => cmd(['HKEYS', hashKey(rng)], UNORDERED)],
  [2, (rng) => cmd(['HVALS', hashKey(rng)], UNORDERED)],
  [3, (rng) => cmd(['HGETALL', hashKey(rng)], PAIRS)],
  [3, (rng) => cmd(['HINCRBY', hashKey(rng), field(rng), rng.pick(INTS)])],
  [3, (rng) => cmd(['HINCRBYFLOAT', hashKey(rng), field(rng), rng.pick(FLOATS)])],
  [2, hrandfield],
  [2, hscan],
];
