import type { ValueDigest } from './dataset-digest';
import type { ConfigStore } from '../config/config-store';
import type { StoredValue } from '../keyspace/value';
import type { RdbReader, RdbWriter } from '../persistence/rdb-stream';

/**
 * A data type, as a plugin describes it to the kernel and to persistence: how its values are
 * written to and read from RDB, rewritten as commands (AOF rewrite), copied for snapshots, and how
 * OBJECT ENCODING and MEMORY USAGE report them. Persistence plugins use only this, never the type
 * plugins themselves.
 */
export interface DataTypeSpec<V extends StoredValue = StoredValue> {
  /** The name TYPE reports: "string", "hash", ... */
  name: string;
  /** RDB type bytes this type reads (e.g. hash: 4, 9, 13, 16). The first is what it writes. */
  rdbTypes: number[];
  /** True if `value` belongs to this type. */
  owns(value: StoredValue): boolean;
  /** Writes the value's payload after the type byte, which it returns. */
  writeRdb(value: V, out: RdbWriter): number;
  /** Reads a value of RDB type `rdbType` (one of rdbTypes). */
  readRdb(rdbType: number, input: RdbReader): V;
  /** Commands that rebuild the value, for AOF rewrite (TTL is handled by the caller). */
  rewrite(key: string, value: V, emit: (argv: (string | Buffer)[]) => void): void;
  /** A copy that later in-place changes of `value` do not affect (for point-in-time snapshots). */
  clone(value: V): V;
  /** OBJECT ENCODING's answer, with Redis's names. */
  encoding(value: V, config: ConfigStore): string;
  /** Estimated bytes the value costs (MEMORY USAGE). */
  memoryUsage(value: V): number;
  /**
   * Optional: the elements SORT and SORT_RO read from a value of this type, in the order
   * `SORT ... BY nosort` returns them (a list's order, a set's iteration order, a sorted set's
   * rank order). SORT refuses keys of types without it (WRONGTYPE), as Redis refuses strings.
   */
  sortElements?(value: V): Iterable<string>;
  /** Optional: the value of a field (SORT's `BY`/`GET pattern->field` reads hashes so), or undefined. */
  fieldValue?(value: V, field: string): string | undefined;
  /**
   * Optional: DEBUG DIGEST's view of the value, as Redis's xorObjectDigest: `d.objectType(n)` first
   * (Redis's object type number), then the parts (`mix` for ordered ones, `xor`/`xorElement` for
   * unordered ones). Without it the value digests as a module value (its type only).
   */
  digest?(value: V, d: ValueDigest): void;
  /**
   * Optional: a new value holding `elements` in this order (SORT ... STORE builds its result list
   * with the `list` type's). Never called with an empty array.
   */
  fromElements?(elements: string[]): V;
}

export class DataTypeRegistry {
  private readonly byName = new Map<string, DataTypeSpec>();
  private readonly byRdbType = new Map<number, DataTypeSpec>();
  private list: DataTypeSpec[] = [];

  register(spec: DataTypeSpec): void {
    if (this.byName.has(spec.name)) throw new Error(`data type "${spec.name}" is registered twice`);
    for (const t of spec.rdbTypes) {
      const other = this.byRdbType.get(t);
      if (other !== undefined) throw new Error(`RDB type ${t} is claimed by both "${other.name}" and "${spec.name}"`);
    }
    this.byName.set(spec.name, spec);
    for (const t of spec.rdbTypes) this.byRdbType.set(t, spec);
    this.list = [...this.list, spec];
  }

  get(name: string): DataTypeSpec | undefined {
    return this.byName.get(name);
  }

  forRdbType(type: number): DataTypeSpec | undefined {
    return this.byRdbType.get(type);
  }

  /** The type a stored value belongs to. */
  of(value: StoredValue): DataTypeSpec | undefined {
    const name = typeof value === 'string' ? 'string' : value.type;
    return this.byName.get(name);
  }

  all(): readonly DataTypeSpec[] {
    return this.list;
  }
}
