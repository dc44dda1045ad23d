import { definePlugin } from 'redix-server';
import { ListWriteCommands } from './list-write-commands';
import { ListReadCommands } from './list-read-commands';
import { ListPopCommands } from './list-pop-commands';
import { ListBlockingCommands } from './list-blocking-commands';
import { listDataType, loadOptions } from './list-type';
import { compressOptions } from './list-value';

/** The list data type: LPUSH/LPOP and friends, blocking pops, its RDB codec and AOF rewrite. */
export default definePlugin({
  name: 'lists',
  commands: [ListWriteCommands, ListReadCommands, ListPopCommands, ListBlockingCommands],
  dataTypes: [listDataType],
  setup({ server }) {
    loadOptions.fill = server.config.get<number>('list-max-listpack-size');
    server.config.onChange('list-max-listpack-size', (value) => {
      loadOptions.fill = value as number;
    });
    compressOptions.depth = server.config.get<number>('list-compress-depth');
    server.config.onChange('list-compress-depth', (value) => {
      compressOptions.depth = value as number;
    });
  },
});
