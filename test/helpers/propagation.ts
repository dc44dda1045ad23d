import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { RedixServer } from '../../src/index';
import { RawConnection } from './raw-connection';
import { startRedix } from './redix';

export interface PublishedChange {
  db: number;
  argv: string[];
}

/**
 * A server whose change feed (what AOF and replicas receive) is recorded as text, with one
 * connection; every test starts from empty databases, database 0 and an empty record.
 */
export function usePropagationHarness() {
  const h = {
    server: undefined as unknown as RedixServer,
    conn: undefined as unknown as RawConnection,
    changes: [] as PublishedChange[],
    /** Sends the commands in order; returns the argv of every change published so far. */
    async run(...commands: string[][]): Promise<string[][]> {
      for (const argv of commands) await h.conn.command(argv);
      return h.changes.map((p) => p.argv);
    },
    clear(): void {
      h.changes = [];
    },
  };
  beforeAll(async () => {
    h.server = await startRedix();
    h.server.keyspace.feed.subscribe((db, argv) => {
      h.changes.push({ db, argv: argv.map((a) => (typeof a === 'string' ? a : a.toString('latin1'))) });
    });
    h.conn = await RawConnection.connect(h.server.port);
  });
  afterAll(async () => {
    h.conn?.close();
    await h.server?.shutdown();
  });
  beforeEach(async () => {
    await h.conn.command(['FLUSHALL']);
    await h.conn.command(['SELECT', '0']);
    h.clear();
  });
  return h;
}
