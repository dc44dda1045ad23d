import { RawConnection } from '../helpers/raw-connection';
import { median } from './families';
import { memory, pipelined, settle } from './memory';
import { startBenchServer, type BenchServerName } from './servers';

const element = (i: number): string => `e${String(i).padStart(15, '0')}`;

/**
 * RSS growth per element on a fresh server across the second of two loads of the same shape
 * under different key names (RPUSH of up to 1,000 elements a command): the first brings the
 * process to working size, as in memory.ts's measureDataset.
 */
async function rssPerElement(name: BenchServerName, commands: number, command: (prefix: string, i: number) => string[], elements: number): Promise<number> {
  const server = await startBenchServer(name);
  const conn = await RawConnection.connect(server.port);
  try {
    await pipelined(conn, commands, (i) => command('warm', i));
    await settle(conn);
    const before = await memory(conn, server.pid);
    await pipelined(conn, commands, (i) => command('item', i));
    await settle(conn);
    const after = await memory(conn, server.pid);
    return (after.rss - before.rss) / elements;
  } finally {
    conn.close();
    await server.stop();
  }
}

/**
 * Bytes of process RSS per list element for the two shapes: `elements` 16-byte elements in
 * one list, and `lists` lists of 10 elements, each on its own fresh server, median of `rounds`.
 * Fresh processes and a median because RSS growth still varies by a few MB between runs.
 */
export async function listMemoryPerElement(name: BenchServerName, elements: number, lists: number, rounds = 1): Promise<{ oneList: number; manyLists: number }> {
  const one: number[] = [];
  const many: number[] = [];
  for (let r = 0; r < rounds; r++) {
    one.push(await rssPerElement(name, elements / 1000, (prefix, b) => ['RPUSH', `${prefix}:biglist`, ...Array.from({ length: 1000 }, (_, i) => element(b * 1000 + i))], elements));
    many.push(await rssPerElement(name, lists, (prefix, l) => ['RPUSH', `${prefix}:list:${String(l).padStart(10, '0')}`, ...Array.from({ length: 10 }, (_, i) => element(i))], lists * 10));
  }
  return { oneList: median(one), manyLists: median(many) };
}
