import autoload from '@fastify/autoload';
import type { FastifyInstance } from 'fastify';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Routes live in their aggregate's folder (src/plans/routes.ts, src/registry/agency-routes.ts, …) and are
 * loaded by @fastify/autoload: every file under src/ whose name ends in `routes.ts` default-exports one
 * encapsulated plugin. `*root-routes.ts` serve outside the API (health, web apps, check page, /.well-known);
 * the others under /api/v1. Folder names never become URL segments (dirNameRoutePrefix: false), and an
 * index.ts does not hide its siblings (indexPattern matches nothing), so a URL is written in its route file only.
 *
 * An aggregate with many routes may keep them in a `routes/` folder of its own (src/visits/routes/*.ts): every
 * file there is a route plugin too.
 */
const SRC = fileURLToPath(new URL('..', import.meta.url));
const NO_INDEX = /^\0$/;
const isRouteFile = (path: string) => (/routes\.ts$/.test(path) || /\/routes\/[^/]+\.ts$/.test(path)) && !path.startsWith('/routes/');
const isRootRouteFile = (path: string) => /root-routes\.ts$/.test(path);

// Compile and load the route modules now, while the app's modules load, rather than inside autoload's
// plugin: a first compile (tsx, the test runner's transform) on a busy machine would otherwise count against
// the plugin's start timeout and a test's setup time. autoload then finds them already loaded.
await Promise.all(
  readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .map((f) => '/' + f.split('\\').join('/'))
    .filter(isRouteFile)
    .map((f) => import(pathToFileURL(join(SRC, f)).href)),
);

const routeFiles = (match: (path: string) => boolean) => ({
  dir: SRC,
  dirNameRoutePrefix: false,
  indexPattern: NO_INDEX,
  autoHooks: false,
  forceESM: true,
  matchFilter: match,
});

export async function apiRoutes(app: FastifyInstance): Promise<void> {
  await app.register(autoload, routeFiles((p) => isRouteFile(p) && isRootRouteFile(p)));
  await app.register(
    async (api) => {
      await api.register(autoload, routeFiles((p) => isRouteFile(p) && !isRootRouteFile(p)));
    },
    { prefix: '/api/v1' },
  );
}
