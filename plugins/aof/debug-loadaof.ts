import type { Logger, ServerContext } from 'redix-server';

/**
 * DEBUG LOADAOF: the caller waits (blocked) while the AOF files are replayed, other clients get
 * -LOADING meanwhile, then OK. Redis exits when the files do not load; here the caller gets the
 * error and the log says why, and the dataset is what loaded up to there.
 */
export function registerDebugLoadAof(server: ServerContext, logger: Logger, reload: () => Promise<void>): void {
  server.debug.add({
    name: 'loadaof',
    arity: 2,
    run(c) {
      c.block(0, { timeout: () => undefined });
      reload().then(
        () => {
          logger.warning('Append Only File loaded by DEBUG LOADAOF');
          c.reply.ok();
        },
        (e: unknown) => {
          logger.warning(`DEBUG LOADAOF failed: ${(e as Error).message}`);
          c.reply.error(`ERR Error trying to load the AOF: ${(e as Error).message}`);
        },
      ).finally(() => {
        c.unblock();
        server.flushClient(c);
      });
    },
  });
}
