import { brandError, brandedHasInstance } from '../kernel/error-brand';

/** Recognised by brand across package copies, as RdbFormatError. A ziplist, listpack, zipmap or intset blob that is malformed; `position` is within the blob. */
export class CompactEncodingError extends Error {
  constructor(
    readonly format: string,
    message: string,
    readonly position: number,
  ) {
    super(`corrupt ${format}: ${message} (at byte ${position} of the ${format})`);
    this.name = 'CompactEncodingError';
    brandError(this, 'CompactEncodingError');
  }

  static override [Symbol.hasInstance] = brandedHasInstance(CompactEncodingError, 'CompactEncodingError');
}
