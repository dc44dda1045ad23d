import { cmd, SHAPE, UNORDERED, type Generator } from './command';
import type { Prng } from './prng';
import { key } from './strings';
import { absoluteMillis, absoluteSeconds, relativeMillis, relativeSeconds } from './times';
import { BAD_DBS, DBS, PATTERNS, TYPES } from './values';

/** Random commands of the keyspace-ttl plugin (and SELECT/DBSIZE from the kernel). */

function db(rng: Prng): string {
  return rng.chance(0.06) ? rng.pick(BAD_DBS) : String(rng.pick(DBS));
}

function keys(rng: Prng, min: number, max: number): string[] {
  const out: string[] = [];
  for (let n = rng.int(min, max); n > 0; n--) out.push(key(rng));
  return out;
}

const expire: Generator = (rng, st) => {
  const name = rng.pick(['EXPIRE', 'PEXPIRE', 'EXPIREAT', 'PEXPIREAT']);
  const time = name === 'EXPIRE' ? relativeSeconds(rng, st) : name === 'PEXPIRE' ? relativeMillis(rng, st)
    : name === 'EXPIREAT' ? absoluteSeconds(rng, st) : absoluteMillis(rng, st);
  const argv = [name, key(rng), time];
  if (rng.chance(0.5)) argv.push(rng.pick(['NX', 'XX', 'GT', 'LT', 'gt', 'lt']));
  if (rng.chance(0.06)) argv.push(rng.pick(['NX', 'XX', 'GT', 'LT', 'BOGUS']));
  return cmd(argv);
};

/**
 * SCAN 0 [MATCH p] [TYPE t] COUNT big: one call returns everything. Other cursors only as invalid
 * ones: where a non-zero cursor lands depends on each server's table layout.
 */
const scan: Generator = (rng, st) => {
  const argv = ['SCAN', rng.chance(0.95) ? '0' : rng.pick(['abc', ' 1', '18446744073709551616'])];
  const opts: string[][] = [];
  const type = rng.chance(0.4) ? rng.pick(TYPES) : null;
  if (rng.chance(0.4)) opts.push(['MATCH', rng.pick(PATTERNS)]);
  if (type !== null) opts.push(['TYPE', type]);
  opts.push(['COUNT', rng.chance(0.95) ? '1000' : rng.pick(['0', '-1', 'x'])]);
  if (rng.chance(0.03)) opts.push([rng.pick(['BOGUS', 'MATCH', 'TYPE'])]);
  // TYPE none returns a key that has just expired, unless Redis's active expiry got to it first.
  const racy = st.pastSet && type !== null && type.toLowerCase() === 'none';
  return { argv: [...argv, ...rng.shuffle(opts).flat()], mode: racy ? SHAPE : { kind: 'scan', pairs: false } };
};

const copy: Generator = (rng) => {
  const argv = ['COPY', key(rng), key(rng)];
  const opts: string[][] = [];
  if (rng.chance(0.5)) opts.push(['DB', db(rng)]);
  if (rng.chance(0.5)) opts.push(['REPLACE']);
  if (rng.chance(0.04)) opts.push([rng.pick(['BOGUS', 'DB', 'REPLACE'])]);
  return cmd([...argv, ...rng.shuffle(opts).flat()]);
};

const object: Generator = (rng) => {
  const sub = rng.weighted([[10, 'ENCODING'], [2, 'REFCOUNT'], [2, 'IDLETIME'], [1, 'FREQ'], [1, 'HELP'], [1, 'BOGUS']] as const);
  if (sub === 'HELP') return cmd(['OBJECT', 'HELP']);
  return cmd(['OBJECT', sub, key(rng)], sub === 'IDLETIME' ? SHAPE : sub === 'BOGUS' ? undefined : { kind: 'encoding' });
};

export const KEYSPACE_GENERATORS: (readonly [number, Generator])[] = [
  [4, (rng) => cmd([rng.pick(['DEL', 'UNLINK']), ...keys(rng, 1, 3)])],
  [3, (rng) => cmd(['EXISTS', ...keys(rng, 1, 4)])],
  [4, (rng) => cmd(['TYPE', key(rng)])],
  [2, (rng) => cmd(['KEYS', rng.pick(PATTERNS)], UNORDERED)],
  [3, scan],
  [1, () => cmd(['RANDOMKEY'], SHAPE)],
  [3, (rng) => cmd([rng.pick(['RENAME', 'RENAMENX']), key(rng), key(rng)])],
  [3, copy],
  [3, (rng) => cmd(['MOVE', key(rng), db(rng)])],
  [1, (rng) => cmd(['SWAPDB', db(rng), db(rng)])],
  [3, (rng) => cmd(['SELECT', db(rng)])],
  [2, (rng) => cmd(['TOUCH', ...keys(rng, 1, 3)])],
  [10, expire],
  [3, (rng) => cmd(['TTL', key(rng)], { kind: 'near', tolerance: 1 })],
  [3, (rng) => cmd(['PTTL', key(rng)], { kind: 'near', tolerance: 1000 })],
  [2, (rng) => cmd(['PERSIST', key(rng)])],
  [2, (rng) => cmd(['EXPIRETIME', key(rng)], { kind: 'near', tolerance: 1 })],
  [2, (rng) => cmd(['PEXPIRETIME', key(rng)], { kind: 'near', tolerance: 1000 })],
  [4, object],
  // A logically expired key still has a size in Redis until its active expiry (a race) deletes it.
  [1, (rng, st) => cmd(['MEMORY', 'USAGE', key(rng), ...(st.pastSet ? ['SAMPLES', 'x'] : [])], SHAPE)],
  [2, (_rng, st) => cmd(['DBSIZE'], st.pastSet ? SHAPE : undefined)],
];
