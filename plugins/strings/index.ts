import { definePlugin } from '../../src/index';

export default definePlugin({
  name: 'strings',
  commands: [],
});
