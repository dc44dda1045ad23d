/** One AUX field of an RDB file: a name and a string value. */
export type RdbAuxField = readonly [name: string, value: string];

/** Gives the extra AUX fields for a save starting now (none: an empty list). */
export type RdbAuxWriter = () => readonly RdbAuxField[];

/** Receives every AUX field of the dump loaded at start. */
export type RdbAuxReader = (aux: readonly RdbAuxField[]) => void;

/**
 * AUX fields that plugins add to the RDB files the server saves, and read back from the dump it
 * loads at start. This is how replication keeps Redis's `repl-stream-db`, `repl-id` and
 * `repl-offset` in dump.rdb without the rdb plugin and the replication plugin knowing each other:
 * one contributes and consumes the fields, the other writes and reads them.
 */
export class RdbAuxFields {
  private writers: RdbAuxWriter[] = [];
  private readers: RdbAuxReader[] = [];

  /** Adds fields to every dump saved from now on (SAVE, BGSAVE, save points, SHUTDOWN, FLUSHALL). */
  contribute(writer: RdbAuxWriter): () => void {
    this.writers = [...this.writers, writer];
    return () => {
      this.writers = this.writers.filter((w) => w !== writer);
    };
  }

  /** Called with the AUX fields of the dump loaded at start, once its keys are loaded. */
  onLoad(reader: RdbAuxReader): () => void {
    this.readers = [...this.readers, reader];
    return () => {
      this.readers = this.readers.filter((r) => r !== reader);
    };
  }

  /** For persistence providers: the contributed fields of a save starting now (its point in time). */
  fieldsForSave(): RdbAuxField[] {
    const out: RdbAuxField[] = [];
    for (const writer of this.writers) out.push(...writer());
    return out;
  }

  /** For persistence providers: the dump loaded at start had these AUX fields. */
  loaded(aux: readonly RdbAuxField[]): void {
    for (const reader of this.readers) reader(aux);
  }
}
