import { RawConnection } from '../helpers/raw-connection';
import { median } from './families';
import { memory, pipelined, settle } from './memory';
import { startBenchServer, type BenchServerName } from './servers';

const element = (i: number): string => `e${String(i).padStart(15, '0')}`;

/** RSS growth per element of one load on a fresh server (RPUSH of up to 1,000 elements a command). */
async function rssPerElement(name: BenchServerName, commands: number, command: (i: number) => string[], elements: number): Promise<number> {
  const server = await startBenchServer(name);
  const conn = await RawConnection.connect(server.port);
  try {
    await settle(conn);
    const before = await memory(conn, server.pid);
    await pipelined(conn, commands, command);
    await settle(conn);
    const after = await memory(conn, server.pid);
    return (after.rss - before.rss) / elements;
  } finally {
    conn.close();
    await server.stop();
  }
}

/**
 * Bytes of process RSS per list element for the issue's two shapes: `elements` 16-byte elements in
 * one list, and `lists` lists of 10 elements, each on its own fresh server, median of `rounds`.
 * Fresh processes and a median because one load's growth varies by ±10 MB on Node (how far V8's
 * young generation grew during the burst is part of the figure): at 1M elements that is ±10 B.
 */
export async function listMemoryPerElement(name: BenchServerName, elements: number, lists: number, rounds = 1): Promise<{ oneList: number; manyLists: number }> {
  const one: number[] = [];
  const many: number[] = [];
  for (let r = 0; r < rounds; r++) {
    one.push(await rssPerElement(name, elements / 1000, (b) => ['RPUSH', 'biglist', ...Array.from({ length: 1000 }, (_, i) => element(b * 1000 + i))], elements));
    many.push(await rssPerElement(name, lists, (l) => ['RPUSH', `list:${String(l).padStart(10, '0')}`, ...Array.from({ length: 10 }, (_, i) => element(i))], lists * 10));
  }
  return { oneList: median(one), manyLists: median(many) };
}
