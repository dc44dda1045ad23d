import { runProcess } from '../helpers/run-process';

export interface ThroughputResult {
  test: string;
  pipeline: number;
  rps: number;
  p50: number;
  p99: number;
}

/** Runs redis-benchmark once and parses its CSV (test, rps, avg, min, p50, p95, p99, max). */
export async function redisBenchmark(port: number, tests: string[], options: { requests: number; pipeline: number; clients: number }): Promise<ThroughputResult[]> {
  const args = [
    '-h', '127.0.0.1', '-p', String(port), '-c', String(options.clients), '-n', String(options.requests),
    '-r', '100000', '-d', '64', '-P', String(options.pipeline), '-t', tests.join(','), '--csv',
  ];
  const out = await runProcess('redis-benchmark', args, { timeoutMs: 600_000 });
  if (out.code !== 0) throw new Error(`redis-benchmark failed: ${out.stderr || out.stdout}`);
  const results: ThroughputResult[] = [];
  for (const line of out.stdout.split('\n')) {
    const cells = line.split(',').map((c) => c.replace(/^"|"$/g, ''));
    if (cells.length < 8 || cells[0] === 'test') continue;
    results.push({
      test: cells[0].split(' ')[0],
      pipeline: options.pipeline,
      rps: Number(cells[1]),
      p50: Number(cells[4]),
      p99: Number(cells[6]),
    });
  }
  return results;
}

/**
 * Runs redis-benchmark with one command line of our choosing (`redis-benchmark ... ZADD key
 * __rand_int__ member:__rand_int__`): `__rand_int__` is replaced per request by a random number
 * below `keyspace` (-r). The row is named `name`.
 */
export async function redisBenchmarkCommand(
  port: number,
  name: string,
  argv: string[],
  options: { requests: number; pipeline: number; clients: number; keyspace?: number },
): Promise<ThroughputResult> {
  const args = [
    '-h', '127.0.0.1', '-p', String(port), '-c', String(options.clients), '-n', String(options.requests),
    '-r', String(options.keyspace ?? 100000), '-P', String(options.pipeline), '--csv', ...argv,
  ];
  const out = await runProcess('redis-benchmark', args, { timeoutMs: 600_000 });
  if (out.code !== 0) throw new Error(`redis-benchmark failed: ${out.stderr || out.stdout}`);
  for (const line of out.stdout.split('\n')) {
    const cells = line.split(',').map((c) => c.replace(/^"|"$/g, ''));
    if (cells.length < 8 || cells[0] === 'test') continue;
    return { test: name, pipeline: options.pipeline, rps: Number(cells[1]), p50: Number(cells[4]), p99: Number(cells[6]) };
  }
  throw new Error(`redis-benchmark printed no result for ${argv.join(' ')}: ${out.stdout}`);
}
