import { readFileSync } from 'node:fs';
import type { BenchServer } from './servers';

/** One measured figure of a command family, on both servers, with its unit ("ops/s", "msgs/s"). */
export interface FamilyRow {
  family: string;
  test: string;
  pipeline: number;
  redix: number;
  redis: number;
  unit: string;
  /** The target for Redix/Redis, or null. */
  target: number | null;
}

/**
 * A family's bench: measures Redix and Redis on the servers run.ts started (alternating which goes
 * first per round, as the headline rows do) and returns rows. `quick` asks for a short run.
 */
export type FamilyBench = (servers: { redix: BenchServer; redis: BenchServer }, quick: boolean) => Promise<FamilyRow[]>;

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Runs `measure` on both servers for `rounds` rounds (ABBA order) and returns the medians. */
export async function alternate(
  servers: { redix: BenchServer; redis: BenchServer },
  rounds: number,
  measure: (server: BenchServer) => Promise<number>,
): Promise<{ redix: number; redis: number }> {
  const got: Record<'redix' | 'redis', number[]> = { redix: [], redis: [] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [servers.redix, servers.redis] : [servers.redis, servers.redix];
    for (const server of order) got[server.name as 'redix' | 'redis'].push(await measure(server));
  }
  return { redix: median(got.redix), redis: median(got.redis) };
}

/** CPU seconds (user + system, all threads) a process has used: /proc/PID/stat, 10 ms ticks. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
