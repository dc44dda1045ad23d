import type { FuzzCommand } from './command';

export interface Replayer {
  /** From an empty data set, runs the commands; true when the last one's replies still differ. */
  replayMismatches(commands: FuzzCommand[]): Promise<boolean>;
}

/**
 * Shrinks a failing sequence (its last command is the one that mismatched) by dropping chunks of
 * the commands before it, halving the chunk size down to one, while the mismatch persists.
 * Bounded in replays; returns the full sequence when even that does not reproduce (a flake).
 */
export async function minimize(replayer: Replayer, history: FuzzCommand[], maxReplays = 400): Promise<FuzzCommand[]> {
  const last = history[history.length - 1];
  let prefix = history.slice(0, -1);
  let replays = 0;
  if (!(await replayer.replayMismatches(history))) return history;
  for (let chunk = Math.max(1, Math.floor(prefix.length / 2)); chunk >= 1; chunk = chunk === 1 ? 0 : Math.floor(chunk / 2)) {
    for (let i = prefix.length - chunk; i >= 0 && replays < maxReplays; i -= chunk) {
      const candidate = [...prefix.slice(0, i), ...prefix.slice(i + chunk)];
      replays++;
      if (await replayer.replayMismatches([...candidate, last])) prefix = candidate;
    }
  }
  return [...prefix, last];
}
