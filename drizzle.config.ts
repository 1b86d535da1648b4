import { defineConfig } from 'drizzle-kit';

// One migration folder serves both drivers (PGlite and node-postgres): both run `migrate()` on it at start-up.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './migrations',
});
