import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RedixServer } from '../../src/index';
import { RdbFileReader, readRdb } from '../../src/api/persistence';
import { parseReplicationAux, replicationAuxFields } from '../../plugins/replication/rdb-replication-info';
import { startRedix } from '../helpers/redix';

const ID = 'a'.repeat(40);

describe('replication AUX fields', () => {
  it('round-trips and needs all three fields, as Redis checks them', () => {
    const info = { replid: ID, offset: 1234, streamDb: 3 };
    expect(replicationAuxFields(info)).toEqual([['repl-stream-db', '3'], ['repl-id', ID], ['repl-offset', '1234']]);
    expect(parseReplicationAux([['redis-ver', '7.0.15'], ...replicationAuxFields(info), ['aof-base', '0']])).toEqual(info);
    expect(parseReplicationAux([['repl-id', ID], ['repl-offset', '0'], ['repl-stream-db', '0']])).toEqual({ replid: ID, offset: 0, streamDb: 0 });
    expect(parseReplicationAux([['repl-id', ID.slice(1)], ['repl-offset', '5'], ['repl-stream-db', '0']])).toBeNull();
    expect(parseReplicationAux([['repl-id', ID], ['repl-offset', '-1'], ['repl-stream-db', '0']])).toBeNull();
    expect(parseReplicationAux([['repl-id', ID], ['repl-offset', '5'], ['repl-stream-db', '-1']])).toBeNull();
    expect(parseReplicationAux([['repl-id', ID], ['repl-offset', '5']])).toBeNull();
    expect(parseReplicationAux([['redis-ver', '7.0.15'], ['aof-base', '0']])).toBeNull();
  });
});

describe('RDB AUX hooks (server.rdbAux)', () => {
  const dirs: string[] = [];
  const servers: RedixServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.shutdown({ nosave: true });
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  async function server(dir: string): Promise<RedixServer> {
    const s = await startRedix({ dir, save: '3600 1' });
    servers.push(s);
    return s;
  }

  function auxOf(s: RedixServer, path: string): [string, string][] {
    const reader = new RdbFileReader(path);
    try {
      return readRdb(reader, s.dataTypes, { databases: 16, verifyChecksum: true, skipExpired: false }, () => undefined).aux;
    } finally {
      reader.close();
    }
  }

  it('contributed fields are asked for when a save starts and written before aof-base', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redix-rdb-aux-'));
    dirs.push(dir);
    const first = await server(dir);
    let value = 'one';
    first.rdbAux.contribute(() => [['x-plugin', value]]);
    const remove = first.rdbAux.contribute(() => []);
    remove();
    first.keyspace.databases[0].set('k', 'v');
    value = 'two';
    await first.shutdown();
    const aux = auxOf(first, join(dir, 'dump.rdb'));
    expect(aux.map(([k]) => k)).toEqual(['redis-ver', 'redis-bits', 'ctime', 'used-mem', 'x-plugin', 'aof-base']);
    expect(aux.find(([k]) => k === 'x-plugin')?.[1]).toBe('two');

  });
});
