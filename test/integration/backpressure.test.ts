import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import type { Client } from '../../src/network/client';
import { RawConnection, encodeCommand } from '../helpers/raw-connection';
import { startRedix } from '../helpers/redix';

/**
 * A client that sends requests but does not read its replies: the server stops reading from it
 * once the socket's pending output is over its limit (instead of buffering replies without end),
 * and resumes when the client reads again.
 */
describe('output backpressure', () => {
  let server: RedixServer;
  beforeAll(async () => {
    server = await startRedix();
  });
  afterAll(async () => {
    await server?.shutdown();
  });

  it('pauses reading while a client does not consume its replies, and resumes afterwards', async () => {
    const setup = await RawConnection.connect(server.port);
    await setup.command(['SET', 'big', 'x'.repeat(1024 * 1024)]);
    setup.close();

    const slow = await RawConnection.connect(server.port);
    slow.pauseReading();
    // Ten batches of 20 GETs (20 MB of replies each): commands already read are all answered, as
    // in Redis; the point is that later batches stay unread in the kernel while output is backed up.
    const requests = 200;
    for (let batch = 0; batch < 10; batch++) {
      slow.write(Buffer.concat(Array.from({ length: 20 }, () => encodeCommand(['GET', 'big']))));
      await new Promise((r) => setTimeout(r, 50));
    }
    const client = [...server.clientMap.values()].find((c) => c.lastCommand === 'get') as Client | undefined;
    const deadline = Date.now() + 5000;
    let paused = false;
    while (Date.now() < deadline && !paused) {
      await new Promise((r) => setTimeout(r, 50));
      const c = client ?? ([...server.clientMap.values()].find((x) => x.lastCommand === 'get') as Client | undefined);
      paused = c?.socket?.isPaused() ?? false;
    }
    expect(paused).toBe(true);
    // Far fewer than the 200 MB of replies asked for are held for the client while it is not reading.
    const held = [...server.clientMap.values()].reduce((n, c) => n + (c as Client).outputBytes, 0);
    expect(held).toBeLessThan(100 * 1024 * 1024);

    slow.resumeReading();
    const replies = await slow.readReplies(requests, 60_000);
    expect(replies).toHaveLength(requests);
    expect(replies[requests - 1].length).toBe(1024 * 1024 + '$1048576\r\n'.length + 2);
    slow.close();
  });
});
