import type { TypedValue } from 'redix-server';
import { QuickList } from './quicklist';

/** A list: a quicklist of latin1 strings (binary safe). TYPE answers "list". */
export class ListValue extends QuickList implements TypedValue {
  get type(): string {
    return 'list';
  }

  /** Element count (the loader skips empty collections by it). */
  get size(): number {
    return this.length;
  }

  override clone(): ListValue {
    const copy = new ListValue(this.fill);
    const src = super.clone();
    copy.nodes = src.nodes;
    copy.length = src.length;
    return copy;
  }
}
