import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { RawConnection } from '../helpers/raw-connection';
import { hasRedisServer, startRedisServer, type RealRedis } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';

/** Client ids differ between servers; everything else in HELLO's reply must not. */
const maskId = (reply: string) => reply.replace(/\$2\r\nid\r\n:\d+\r\n/, '$2\r\nid\r\n:<id>\r\n');

/** Runs the commands in order on one new connection, and returns every reply (ids masked). */
async function session(port: number, commands: string[][]): Promise<string[]> {
  const conn = await RawConnection.connect(port);
  const replies: string[] = [];
  try {
    for (const args of commands) replies.push(maskId((await conn.command(args)).toString('latin1')));
  } finally {
    conn.close();
  }
  return replies;
}

const SESSIONS: Record<string, string[][]> = {
  'HELLO without arguments keeps RESP2': [['HELLO'], ['CONFIG', 'GET', 'maxmemory']],
  'HELLO 3 switches, HELLO 2 switches back': [['HELLO', '3'], ['CLIENT', 'GETNAME'], ['CONFIG', 'GET', 'maxmemory'], ['HELLO', '2'], ['CLIENT', 'GETNAME']],
  'HELLO SETNAME names the connection': [['HELLO', '3', 'SETNAME', 'app'], ['CLIENT', 'GETNAME'], ['HELLO', '2', 'SETNAME', 'other'], ['CLIENT', 'GETNAME']],
  'HELLO with a bad name changes nothing': [['HELLO', '3', 'SETNAME', 'bad name'], ['CLIENT', 'GETNAME'], ['PING']],
  'HELLO AUTH with the nopass default user': [['HELLO', '3', 'AUTH', 'default', 'anything'], ['HELLO', '2', 'AUTH', 'someone', 'x']],
  'HELLO options: order, repeats, errors': [['HELLO', '3', 'SETNAME', 'a', 'AUTH', 'default', 'x'], ['HELLO', '2', 'SETNAME', 'a', 'SETNAME', 'b'], ['CLIENT', 'GETNAME'], ['HELLO', '3', 'auth', 'default'], ['HELLO', 'three'], ['HELLO', '1'], ['HELLO', '4', 'SETNAME', 'x'], ['CLIENT', 'GETNAME']],
  'RESET: name, database and protocol': [['HELLO', '3', 'SETNAME', 'app'], ['SELECT', '3'], ['SET', 'in3', 'v'], ['CLIENT', 'NO-EVICT', 'on'], ['RESET'], ['CLIENT', 'GETNAME'], ['GET', 'in3'], ['CONFIG', 'GET', 'maxmemory'], ['RESET', 'extra']],
};

const SESSIONS_WITH_PASSWORD: Record<string, string[][]> = {
  'HELLO before AUTH': [['HELLO'], ['HELLO', '3'], ['HELLO', '3', 'SETNAME', 'app'], ['CLIENT', 'GETNAME'], ['PING']],
  'HELLO AUTH authenticates and names': [['HELLO', '3', 'AUTH', 'default', 'secret', 'SETNAME', 'app'], ['CLIENT', 'GETNAME'], ['PING']],
  'HELLO AUTH with a wrong password': [['HELLO', '2', 'AUTH', 'default', 'wrong'], ['PING'], ['HELLO', '3', 'AUTH', 'nobody', 'secret', 'SETNAME', 'app'], ['CLIENT', 'GETNAME']],
  'RESET signs the client out': [['AUTH', 'secret'], ['PING'], ['RESET'], ['PING'], ['AUTH', 'secret'], ['PING']],
  'before AUTH only AUTH, HELLO, QUIT (and RESET) run': [['RESET'], ['CLIENT', 'ID'], ['SELECT', '1'], ['NOSUCH'], ['GET'], ['AUTH', 'secret', 'x', 'y']],
};

describe.skipIf(!hasRedisServer)('HELLO and RESET, compared with redis-server', () => {
  const servers: { redis?: RealRedis; redix?: RedixServer; redisAuth?: RealRedis; redixAuth?: RedixServer } = {};
  beforeAll(async () => {
    servers.redis = await startRedisServer();
    servers.redix = await startRedix();
    servers.redisAuth = await startRedisServer(['--requirepass', 'secret']);
    servers.redixAuth = await startRedix({ requirepass: 'secret' });
  });
  afterAll(async () => {
    await servers.redix?.shutdown();
    await servers.redixAuth?.shutdown();
    await servers.redis?.stop();
    await servers.redisAuth?.stop();
  });

  for (const [name, commands] of Object.entries(SESSIONS)) {
    it(name, async () => {
      const [real, ours] = await Promise.all([session(servers.redis!.port, commands), session(servers.redix!.port, commands)]);
      expect(ours).toEqual(real);
    });
  }
  it('CLIENT INFO flags, db, name and resp before and after RESET', async () => {
    const fields = (reply: string) => reply.split(' ').filter((f) => /^(flags|db|name|resp|multi|sub|psub)=/.test(f)).join(' ');
    const commands = [['HELLO', '3', 'SETNAME', 'app'], ['SELECT', '2'], ['CLIENT', 'NO-EVICT', 'on'], ['CLIENT', 'INFO'], ['RESET'], ['CLIENT', 'INFO']];
    const [real, ours] = await Promise.all([session(servers.redis!.port, commands), session(servers.redix!.port, commands)]);
    expect([ours[3], ours[5]].map(fields)).toEqual([real[3], real[5]].map(fields));
  });

  for (const [name, commands] of Object.entries(SESSIONS_WITH_PASSWORD)) {
    it(`requirepass: ${name}`, async () => {
      const [real, ours] = await Promise.all([session(servers.redisAuth!.port, commands), session(servers.redixAuth!.port, commands)]);
      expect(ours).toEqual(real);
    });
  }
});
