import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | null | undefined;

/**
 * A full garbage collection (MEMORY PURGE's nearest equivalent of jemalloc's purge): the `gc` of
 * --expose-gc, or one obtained at run time (V8 exposes it to a new context once the flag is set).
 * Run twice: the first collection finds dead buffers, whose memory the second one releases.
 * Returns false when no collector could be had.
 */
export function collectGarbage(): boolean {
  if (collect === undefined) {
    collect = (globalThis as { gc?: () => void }).gc ?? null;
    if (collect === null) {
      try {
        v8.setFlagsFromString('--expose-gc');
        collect = vm.runInNewContext('gc') as () => void;
      } catch {
        collect = null;
      }
    }
  }
  if (collect === null) return false;
  collect();
  collect();
  return true;
}
