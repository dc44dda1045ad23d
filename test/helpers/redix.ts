import { startServer, type RedixConfig, type RedixServer, type ServerOptions } from '../../src/index';

/** Starts an in-process Redix on a free loopback port, quiet, with no persistence unless asked. */
export async function startRedix(settings: RedixConfig = {}, options: ServerOptions = {}): Promise<RedixServer> {
  return startServer({ port: 0, bind: '127.0.0.1', save: '', ...settings }, { silent: true, ...options });
}
