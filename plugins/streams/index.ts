import { definePlugin } from 'redix-server';
import { StreamWriteCommands } from './stream-write-commands';
import { StreamRangeCommands } from './stream-range-commands';
import { StreamReadCommands } from './stream-read-commands';
import { StreamGroupCommands } from './stream-group-commands';
import { StreamPendingCommands } from './stream-pending-commands';
import { StreamInfoCommands } from './stream-info-command';
import { streamDataType } from './stream-type';

/** The stream data type: XADD/XRANGE, consumer groups, blocking reads, with its RDB codec and AOF rewrite. */
export default definePlugin({
  name: 'streams',
  commands: [StreamWriteCommands, StreamRangeCommands, StreamReadCommands, StreamGroupCommands, StreamPendingCommands, StreamInfoCommands],
  dataTypes: [streamDataType],
});
