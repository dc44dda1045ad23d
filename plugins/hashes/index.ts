import { definePlugin } from 'redix';

export default definePlugin({
  name: 'hashes',
  commands: [],
});
