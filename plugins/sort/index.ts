import { definePlugin } from 'redix-server';
import { SortCommands } from './sort-command';

/**
 * SORT and SORT_RO. They read lists, sets and sorted sets through each type's
 * `DataTypeSpec.sortElements`, hash fields through `fieldValue`, and build the STORE result with
 * the list type's `fromElements`: no other plugin is imported.
 */
export default definePlugin({
  name: 'sort',
  commands: [SortCommands],
});
