import { RawConnection } from '../helpers/raw-connection';
import { memory, pipelined, settle } from './memory';
import { startBenchServer, type BenchServerName } from './servers';

/**
 * Bytes of process RSS per list element, on a fresh server: `elements` 16-byte elements in one
 * list (RPUSH of 1,000 at a time), then `lists` lists of 10 elements (the two shapes).
 */
export async function listMemoryPerElement(name: BenchServerName, elements: number, lists: number): Promise<{ oneList: number; manyLists: number }> {
  const server = await startBenchServer(name);
  const conn = await RawConnection.connect(server.port);
  try {
    await settle(conn);
    const before = await memory(conn, server.pid);
    const element = (i: number): string => `e${String(i).padStart(15, '0')}`;
    await pipelined(conn, elements / 1000, (b) => ['RPUSH', 'biglist', ...Array.from({ length: 1000 }, (_, i) => element(b * 1000 + i))]);
    await settle(conn);
    const afterOne = await memory(conn, server.pid);
    await conn.command(['FLUSHALL']);
    await settle(conn);
    const beforeMany = await memory(conn, server.pid);
    await pipelined(conn, lists, (l) => ['RPUSH', `list:${String(l).padStart(10, '0')}`, ...Array.from({ length: 10 }, (_, i) => element(i))]);
    await settle(conn);
    const afterMany = await memory(conn, server.pid);
    return { oneList: (afterOne.rss - before.rss) / elements, manyLists: (afterMany.rss - beforeMany.rss) / (lists * 10) };
  } finally {
    conn.close();
    await server.stop();
  }
}
