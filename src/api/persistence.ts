/**
 * `redix-server/persistence`: the file formats behind the RDB, AOF and replication plugins (RDB files and
 * DUMP payloads, compact encodings, CRC64, LZF, point-in-time snapshots, background jobs). A data
 * type's own codec needs only `RdbReader`/`RdbWriter` from the root export; these are for
 * persistence providers and for types that read or write Redis's compact encodings.
 */
export { loadingInfoFields, type LoadingProgress } from '../kernel/loading-info';
export { RdbFunctions, type RdbFunctionsOwner } from '../persistence/rdb-functions';
export { RdbAuxFields, type RdbAuxField, type RdbAuxWriter, type RdbAuxReader } from '../persistence/rdb-aux-fields';
export { takeSnapshot, type PointInTimeSnapshot, type SnapshotEntry, type KeyspaceSnapshot, type SnapshotDatabase, type SnapshotTuning } from '../persistence/snapshot';
export { BackgroundChild, backgroundChildOf, type BackgroundChildKind } from '../persistence/background-child';
export type { StorageView } from '../keyspace/database';
export { Crc64, crc64 } from '../persistence/crc64';
export { lzfCompress, lzfDecompress, LzfError } from '../persistence/lzf';
export { RdbBufferWriter, type RdbBufferWriterOptions } from '../persistence/rdb-buffer-writer';
export { RdbByteReader, RdbBufferReader, RdbFileReader } from '../persistence/rdb-reader';
export { CompactEncodingError } from '../persistence/compact-encoding-error';
export { decodeZiplist } from '../persistence/ziplist';
export { decodeListpack, encodeListpack, ListpackBuilder, walkListpack, listpackDeclaredCount, type ListpackSink } from '../persistence/listpack';
export { decodeZipmap } from '../persistence/zipmap';
export { decodeIntset, encodeIntset, intsetElementSize } from '../persistence/intset';
export {
  RDB_VERSION, RDB_MAX_READ_VERSION, RDB_OPCODE, RdbFileEncoder, readRdb, readRdbInSlices, createDumpPayload, parseDumpPayload, describeRdbType,
  type RdbLoadOptions, type RdbLoadedEntry, type RdbLoadSummary, type DumpPayloadProblem,
} from '../persistence/rdb-format';
