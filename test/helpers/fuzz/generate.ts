import type { FuzzCommand, FuzzState, Generator } from './command';
import { HASH_GENERATORS } from './hashes';
import { KEYSPACE_GENERATORS } from './keyspace';
import type { Prng } from './prng';
import { STRING_GENERATORS } from './strings';
import { STRAY_ARGS } from './values';

const ALL: (readonly [number, Generator])[] = [...STRING_GENERATORS, ...HASH_GENERATORS, ...KEYSPACE_GENERATORS];

/**
 * One random command. A few are corrupted on purpose (an argument dropped or a stray one added)
 * to reach arity and syntax errors, and a few use a lower-case name.
 */
export function generateCommand(rng: Prng, state: FuzzState): FuzzCommand {
  const c = rng.weighted(ALL)(rng, state);
  if (rng.chance(0.04)) {
    const argv = c.argv.slice();
    if (argv.length > 1 && rng.chance(0.5)) argv.splice(rng.int(1, argv.length - 1), 1);
    else argv.splice(rng.int(1, argv.length), 0, rng.pick(STRAY_ARGS));
    return { ...c, argv };
  }
  if (rng.chance(0.05)) return { ...c, argv: [c.argv[0].toLowerCase(), ...c.argv.slice(1)] };
  return c;
}
