/** A client class's output buffer limits (client-output-buffer-limit): 0 means no limit. */
export interface OutputBufferLimit {
  hardBytes: number;
  softBytes: number;
  softSeconds: number;
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1000, kb: 1024, m: 1000 ** 2, mb: 1024 ** 2, g: 1000 ** 3, gb: 1024 ** 3 };

function parseMemory(text: string): number | null {
  const m = /^(\d+)([a-z]*)$/i.exec(text);
  if (m === null) return null;
  const unit = UNITS[m[2].toLowerCase()];
  return unit === undefined ? null : Number(m[1]) * unit;
}

/**
 * The replica class's limits from "normal 0 0 0 slave 268435456 67108864 60 pubsub ...".
 * Redis accepts "replica" and "slave" for the class; the last mention wins.
 */
export function replicaOutputLimit(config: string): OutputBufferLimit {
  const words = config.trim().split(/\s+/);
  let limit: OutputBufferLimit = { hardBytes: 256 * 1024 * 1024, softBytes: 64 * 1024 * 1024, softSeconds: 60 };
  for (let i = 0; i + 3 < words.length; i += 4) {
    const cls = words[i].toLowerCase();
    if (cls !== 'slave' && cls !== 'replica') continue;
    const hard = parseMemory(words[i + 1]);
    const soft = parseMemory(words[i + 2]);
    const seconds = Number(words[i + 3]);
    if (hard !== null && soft !== null && Number.isInteger(seconds)) limit = { hardBytes: hard, softBytes: soft, softSeconds: seconds };
  }
  return limit;
}
