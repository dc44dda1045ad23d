import { definePlugin } from '../../src/index';

export default definePlugin({
  name: 'keyspace-ttl',
  commands: [],
});
