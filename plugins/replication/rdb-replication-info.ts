import type { RdbAuxField } from 'redix-server/persistence';

/** The replication state a dump keeps, as Redis 7.0 saves it (AUX repl-stream-db, repl-id, repl-offset). */
export interface SavedReplicationInfo {
  replid: string;
  offset: number;
  /** The database the stream was in: a replica continuing partially gets no SELECT first. */
  streamDb: number;
}

export function replicationAuxFields(info: SavedReplicationInfo): RdbAuxField[] {
  return [
    ['repl-stream-db', String(info.streamDb)],
    ['repl-id', info.replid],
    ['repl-offset', String(info.offset)],
  ];
}

/**
 * The saved state, if the dump has all of it. As Redis: an id of exactly 40 characters, and neither
 * the offset nor the stream database at -1 (older versions could save a stream db of -1 wrongly).
 */
export function parseReplicationAux(aux: readonly RdbAuxField[]): SavedReplicationInfo | null {
  let replid: string | null = null;
  let offset = -1;
  let streamDb = -1;
  for (const [name, value] of aux) {
    if (name === 'repl-id') {
      if (value.length === 40) replid = value;
    } else if (name === 'repl-offset') {
      offset = integerOr(value, -1);
    } else if (name === 'repl-stream-db') {
      streamDb = integerOr(value, -1);
    }
  }
  if (replid === null || offset === -1 || streamDb === -1) return null;
  return { replid, offset, streamDb };
}

function integerOr(text: string, fallback: number): number {
  if (!/^-?\d{1,18}$/.test(text)) return fallback;
  return Number(text);
}
