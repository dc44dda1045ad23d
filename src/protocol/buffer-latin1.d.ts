// Node's Buffer has fast latin1 codecs that @types/node does not declare. They are stable since
// Node 0.x and are what `toString('latin1')`/`write(s, 'latin1')` call after an encoding lookup.
declare global {
  interface Buffer {
    latin1Slice(start: number, end: number): string;
    latin1Write(value: string, offset: number, length?: number): number;
  }
}
export {};
