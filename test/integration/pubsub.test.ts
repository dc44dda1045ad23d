import { describe, expect, it } from 'vitest';
import { hasRedisServer, REDIS_MISSING } from '../helpers/redis-server';
import { compareScenario, type ScenarioSide } from '../helpers/scenario';
import { useRedisAndRedix } from '../helpers/server-pair';

/**
 * Pub/Sub against a real redis-server, byte for byte, RESP2 and RESP3: confirmations, message and
 * pmessage frames, subscribed-mode rules, PUBSUB introspection, sharded Pub/Sub.
 */
if (!hasRedisServer) console.warn(`Pub/Sub scenarios skipped: ${REDIS_MISSING}`);

const SCENARIOS: [string, (s: ScenarioSide) => Promise<void>][] = [
  ['subscribe, publish, unsubscribe with counts', async (s) => {
    await s.call(1, 'SUBSCRIBE', 'news');
    s.send(1, 'SUBSCRIBE', 'news', 'sport');
    await s.reply(1);
    await s.reply(1);
    await s.call(2, 'PUBLISH', 'news', 'hello');
    await s.reply(1);
    await s.call(2, 'PUBLISH', 'nobody', 'x');
    await s.call(2, 'PUBLISH', 'sport', Buffer.from([0, 255, 10, 13]));
    await s.reply(1);
    await s.call(1, 'UNSUBSCRIBE', 'news');
    await s.call(1, 'UNSUBSCRIBE', 'never');
    await s.call(1, 'UNSUBSCRIBE');
    await s.call(1, 'UNSUBSCRIBE');
    await s.call(1, 'GET', 'k');
  }],
  ['binary channels, patterns and messages (bytes above 127, NUL, CRLF) in message and pmessage frames', async (s) => {
    const channel = Buffer.from([0xe9, 0x00, 0x0d, 0x0a, 0x41]);
    await s.call(1, 'SUBSCRIBE', channel);
    await s.call(1, 'PSUBSCRIBE', Buffer.from([0xe9, 0x2a]));
    await s.call(2, 'PUBLISH', channel, Buffer.from([0xff, 0xfe, 0x00, 0x80]));
    await s.reply(1);
    await s.reply(1);
    await s.call(2, 'PUBLISH', Buffer.from([0xe9, 0xc3, 0xa9]), 'caf\u00e9');
    await s.reply(1);
  }],
  ['patterns: pmessage with the pattern, a channel matching twice', async (s) => {
    await s.call(1, 'PSUBSCRIBE', 'n*');
    await s.call(1, 'SUBSCRIBE', 'news');
    await s.call(1, 'PSUBSCRIBE', 'n*');
    await s.call(2, 'PUBLISH', 'news', 'both');
    await s.reply(1);
    await s.reply(1);
    await s.call(2, 'PUBLISH', 'nope', 'one');
    await s.reply(1);
    await s.call(2, 'PUBSUB', 'NUMPAT');
    await s.call(1, 'PUNSUBSCRIBE', 'n*');
    await s.call(1, 'PUNSUBSCRIBE');
    await s.call(1, 'PSUBSCRIBE', 'a?[bc]\\*');
    await s.call(2, 'PUBLISH', 'axc*', 'glob');
    await s.reply(1);
    await s.call(2, 'PUBLISH', 'axd*', 'no');
    await s.call(1, 'PUNSUBSCRIBE', 'a?[bc]\\*', 'other');
  }],
  ['RESP2 subscribed mode allows only the subscribe family, PING, QUIT and RESET', async (s) => {
    await s.call(1, 'SUBSCRIBE', 'c');
    await s.call(1, 'GET', 'k');
    await s.call(1, 'PING');
    await s.call(1, 'PING', 'hi');
    await s.call(1, 'ECHO', 'x');
    await s.call(1, 'CONFIG', 'GET', 'nosuch');
    await s.call(1, 'MULTI');
    await s.call(1, 'SSUBSCRIBE', 'sc');
    await s.call(1, 'SUNSUBSCRIBE', 'sc');
    await s.call(1, 'UNSUBSCRIBE', 'c');
    await s.call(1, 'PING');
    await s.call(1, 'SUBSCRIBE', 'c');
    await s.call(1, 'RESET');
    await s.call(1, 'PING');
    await s.call(2, 'PUBLISH', 'c', 'after reset');
    await s.call(1, 'SUBSCRIBE', 'c');
    await s.call(1, 'QUIT');
  }],
  ['PUBSUB introspection', async (s) => {
    await s.call(1, 'SUBSCRIBE', 'a1');
    await s.call(3, 'SUBSCRIBE', 'a1', 'b1');
    await s.call(3, 'PSUBSCRIBE', 'p*', 'q*');
    await s.call(4, 'SSUBSCRIBE', 's1');
    await s.call(2, 'PUBSUB', 'NUMSUB', 'a1', 'b1', 'zz');
    await s.call(2, 'PUBSUB', 'NUMSUB');
    await s.call(2, 'PUBSUB', 'NUMPAT');
    await s.call(2, 'PUBSUB', 'CHANNELS', 'b*');
    await s.call(2, 'PUBSUB', 'CHANNELS', 'zz*');
    await s.call(2, 'PUBSUB', 'SHARDCHANNELS');
    await s.call(2, 'PUBSUB', 'SHARDNUMSUB', 's1', 'a1');
    await s.call(2, 'PUBSUB', 'CHANNELS', 'a', 'b');
    await s.call(2, 'PUBSUB', 'NUMPAT', 'x');
    await s.call(2, 'PUBSUB', 'NOSUCH');
    await s.call(2, 'PUBSUB');
    await s.call(2, 'PUBSUB', 'HELP');
    await s.call(2, 'SPUBLISH', 's1', 'shard message');
    await s.reply(4);
    await s.call(2, 'PUBLISH', 's1', 'not shard');
    await s.call(4, 'SUNSUBSCRIBE');
    await s.call(4, 'SUNSUBSCRIBE');
  }],
  ['SUBSCRIBE inside MULTI is allowed, SSUBSCRIBE is not; arity errors', async (s) => {
    await s.call(1, 'MULTI');
    await s.call(1, 'SUBSCRIBE', 'm');
    await s.call(1, 'SSUBSCRIBE', 'sm');
    await s.call(1, 'EXEC');
    await s.call(2, 'SUBSCRIBE');
    await s.call(2, 'PUBLISH', 'm');
    await s.call(2, 'PSUBSCRIBE');
  }],
];

describe.skipIf(!hasRedisServer)('Pub/Sub as redis-server', () => {
  const servers = useRedisAndRedix();
  const ports = () => ({ redis: servers.redis.port, redix: servers.redix.port });

  for (const protocol of [2, 3] as const) {
    for (const [name, script] of SCENARIOS) {
      it(`${name} (RESP${protocol})`, async () => {
        const { redis, redix } = await compareScenario(ports(), script, { protocol });
        expect(redix).toEqual(redis);
      });
    }
  }

  it('RESP3: every command works while subscribed and messages interleave with replies in order', async () => {
    const { redis, redix } = await compareScenario(ports(), async (s) => {
      await s.call(1, 'SUBSCRIBE', 'c');
      s.send(1, 'SET', 'k', 'v');
      s.send(1, 'GET', 'k');
      await s.reply(1);
      await s.reply(1);
      await s.call(2, 'PUBLISH', 'c', 'm1');
      await s.call(1, 'GET', 'k');
      // The message arrived before the GET's reply (published first).
      await s.reply(1);
    }, { protocol: 3 });
    expect(redix).toEqual(redis);
  });
});
