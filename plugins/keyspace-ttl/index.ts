import { definePlugin } from 'redix';

export default definePlugin({
  name: 'keyspace-ttl',
  commands: [],
});
