import { definePlugin } from 'redix';

export default definePlugin({
  name: 'strings',
  commands: [],
});
