import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { RawConnection } from '../helpers/raw-connection';
import { startRedix } from '../helpers/redix';

/**
 * What Redis 7.0 answers about a module value, with the ledger fixture (data type "ledger", module
 * type "ledger-01"). There is no module to load into a real redis-server, so the oracle is its
 * source: TYPE and SCAN ... TYPE use getObjectTypeName (db.c), which answers `mv->type->name` (the
 * 9-character module type name) for OBJ_MODULE, and SCAN compares it with strcasecmp; every module
 * value is created by createModuleObject with OBJ_ENCODING_RAW, so OBJECT ENCODING and DEBUG
 * OBJECT say "raw" (strEncoding in object.c).
 */
const ledger = resolve(__dirname, '../fixtures/ledger-plugin/index.ts');

describe('a module type value as TYPE, SCAN TYPE and OBJECT ENCODING report it', () => {
  let server: RedixServer;
  let c: RawConnection;
  const text = (b: Buffer) => b.toString('latin1');

  beforeAll(async () => {
    server = await startRedix({ plugins: [ledger], enableDebugCommand: 'yes' });
    c = await RawConnection.connect(server.port);
    expect(text(await c.command(['LEDGER.SET', 'led', '1', '-1', 'bob', '0.5', '2']))).toBe('+OK\r\n');
    expect(text(await c.command(['SET', 'str', 'x']))).toBe('+OK\r\n');
  });
  afterAll(async () => {
    c.close();
    await server.shutdown();
  });

  it('TYPE answers the 9-character module type name, not the data type name', async () => {
    expect(text(await c.command(['TYPE', 'led']))).toBe('+ledger-01\r\n');
    expect(text(await c.command(['TYPE', 'str']))).toBe('+string\r\n');
  });

  it('SCAN ... TYPE matches the module type name, case-insensitively, and nothing else', async () => {
    const found = '*2\r\n$1\r\n0\r\n*1\r\n$3\r\nled\r\n';
    expect(text(await c.command(['SCAN', '0', 'TYPE', 'ledger-01']))).toBe(found);
    expect(text(await c.command(['SCAN', '0', 'TYPE', 'LEDGER-01']))).toBe(found);
    expect(text(await c.command(['SCAN', '0', 'TYPE', 'ledger']))).toBe('*2\r\n$1\r\n0\r\n*0\r\n');
  });

  it('OBJECT ENCODING and DEBUG OBJECT say raw', async () => {
    expect(text(await c.command(['OBJECT', 'ENCODING', 'led']))).toBe('$3\r\nraw\r\n');
    expect(text(await c.command(['DEBUG', 'OBJECT', 'led']))).toMatch(/^\+Value at:\S+ refcount:1 encoding:raw /);
  });
});
