// Redix's config for this working directory (found automatically by `npx redix start`).
// Keys are redis.conf directives in camelCase; see config/reference.md for all of them.
import { defineConfig } from 'redix-server';

export default defineConfig({
  port: 6379,
  bind: '127.0.0.1 -::1',
  databases: 16,
  loglevel: 'notice',
  // Extra plugins by path or npm package name, optionally with options: ['./my-plugin.ts', { ... }]
  plugins: [],
});
