import { definePlugin } from 'redix-server';
import { StreamWriteCommands } from './stream-write-commands';
import { StreamRangeCommands } from './stream-range-commands';
import { streamDataType } from './stream-type';

/** The stream data type: XADD/XRANGE, consumer groups, blocking reads, with its RDB codec and AOF rewrite. */
export default definePlugin({
  name: 'streams',
  commands: [StreamWriteCommands, StreamRangeCommands],
  dataTypes: [streamDataType],
});
