import { definePlugin } from 'redix-server';
import { HllCommands } from './hll-commands';
import { HllDebugCommands } from './hll-debug-commands';

/**
 * HyperLogLog: PFADD/PFCOUNT/PFMERGE, PFDEBUG and PFSELFTEST over string values holding the
 * exact bytes Redis 7.0 writes (sparse and dense encodings, MurmurHash64A, Ertl's estimator).
 */
export default definePlugin({
  name: 'hyperloglog',
  commands: [HllCommands, HllDebugCommands],
  configOptions: [
    {
      name: 'hll-sparse-max-bytes', kind: 'memory', default: '3000', min: 0, max: 2 ** 63 - 1, mutable: true,
      description: 'A sparse HyperLogLog that would grow past this many bytes becomes dense.',
    },
  ],
});
