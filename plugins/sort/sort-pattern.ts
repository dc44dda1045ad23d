import type { CommandContext } from 'redix-server';

/**
 * SORT's BY/GET patterns, as Redis's lookupKeyByPattern reads them: "#" is the element itself; the
 * first '*' is replaced by the element to name a key; "->field" after the '*' reads that field of
 * a hash (through its type's `fieldValue`), else the key must hold a string. A pattern without '*'
 * finds nothing.
 */
export class SortPattern {
  readonly isSelf: boolean;
  private readonly prefix: string;
  private readonly suffix: string;
  private readonly field: string | null;
  private readonly hasStar: boolean;

  constructor(readonly text: string) {
    this.isSelf = text === '#';
    const star = text.indexOf('*');
    this.hasStar = star >= 0;
    this.prefix = star >= 0 ? text.slice(0, star) : '';
    let rest = star >= 0 ? text.slice(star + 1) : '';
    const arrow = rest.indexOf('->');
    this.field = null;
    if (arrow >= 0 && arrow + 2 < rest.length) {
      this.field = rest.slice(arrow + 2);
      rest = rest.slice(0, arrow);
    }
    this.suffix = rest;
  }

  /** The value the pattern names for `element`, or undefined. */
  lookup(c: CommandContext, element: string): string | undefined {
    if (this.isSelf) return element;
    if (!this.hasStar) return undefined;
    const value = c.db.lookupRead(this.prefix + element + this.suffix);
    if (value === undefined) return undefined;
    if (this.field === null) return typeof value === 'string' ? value : undefined;
    if (typeof value === 'string' || value.type !== 'hash') return undefined;
    const spec = c.server.dataTypes.get('hash');
    return spec?.fieldValue === undefined ? undefined : spec.fieldValue(value, this.field);
  }
}
