import { ShardedMap, type TypedValue } from 'redix';

/**
 * A hash: field → value, both latin1 strings (binary safe). A ShardedMap so a hash can hold more
 * than V8's 2^24 Map entries.
 */
export class HashValue implements TypedValue {
  readonly fields = new ShardedMap<string>();
  /**
   * Once a hash outgrows the listpack limits Redis converts it to a hashtable for good; OBJECT
   * ENCODING mirrors that, so the flag never goes back.
   */
  hashtable = false;

  get type(): string {
    return 'hash';
  }
}
