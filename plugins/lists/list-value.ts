import type { TypedValue } from 'redix-server';
import { QuickList } from './quicklist';

/**
 * The server's list-compress-depth, kept current by the plugin's setup (values are made where no
 * config is at hand: loads, RESTORE).
 */
export const compressOptions = { depth: 0 };

/** A list: a quicklist of latin1 strings (binary safe). TYPE answers "list". */
export class ListValue extends QuickList implements TypedValue {
  /**
   * list-compress-depth when the list was made, which Redis's quicklist keeps for good: the
   * nodes farther than this from both ends are the ones Redis holds (and saves) compressed.
   */
  compressDepth = compressOptions.depth;

  get type(): string {
    return 'list';
  }

  /** Element count (the loader skips empty collections by it). */
  get size(): number {
    return this.length;
  }

  override clone(): ListValue {
    const copy = new ListValue(this.fill);
    copy.compressDepth = this.compressDepth;
    const src = super.clone();
    copy.nodes = src.nodes;
    copy.length = src.length;
    return copy;
  }
}
