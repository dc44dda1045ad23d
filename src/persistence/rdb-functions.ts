/** What a plugin that owns Redis 7 functions gives the RDB readers and writers. */
export interface RdbFunctionsOwner {
  /** The code of every library (shebang included), for a save starting now. */
  codes(): readonly string[];
  /**
   * The library codes of a dump just loaded (at start, on a full sync): they replace every
   * library. Throws with a message when one cannot be loaded (the load then fails, as in Redis).
   */
  replaceAll(codes: readonly string[]): void;
}

/**
 * Function libraries in RDB files: Redis 7.0 writes each library's code as an RDB_OPCODE_FUNCTION2
 * record after the AUX fields. The rdb, aof and replication plugins write `codesForSave()` into
 * the dumps they make and hand the codes of a dump they load to `loaded()`; the scripting plugin
 * owns the libraries. Neither side imports the other (the same pattern as RdbAuxFields).
 */
export class RdbFunctions {
  private owner: RdbFunctionsOwner | null = null;

  /** Makes `owner` the source and destination of the functions in dumps. */
  own(owner: RdbFunctionsOwner): () => void {
    this.owner = owner;
    return () => {
      if (this.owner === owner) this.owner = null;
    };
  }

  /** For persistence providers: the library codes of a save starting now (none without an owner). */
  codesForSave(): readonly string[] {
    return this.owner === null ? [] : this.owner.codes();
  }

  /**
   * For persistence providers: the dump loaded held these library codes. Throws when it held
   * some and no plugin owns functions, or when the owner cannot load one.
   */
  loaded(codes: readonly string[]): void {
    if (this.owner === null) {
      if (codes.length > 0) throw new Error('the data holds function libraries (RDB opcode 245), which no loaded plugin can load (the scripting plugin is not loaded)');
      return;
    }
    this.owner.replaceAll(codes);
  }
}
