import { definePlugin } from '../../src/index';

export default definePlugin({
  name: 'hashes',
  commands: [],
});
