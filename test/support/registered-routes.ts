import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export interface RegisteredRoute {
  method: string;
  /** The pattern as registered, e.g. /admin/dead-letters/:id/retry. */
  path: string;
}

/**
 * Every route the running app's router (Fastify, under Nest) serves, read from Fastify's own route
 * tree (`printRoutes`), so a route added by a controller, a plain Fastify registration or a plugin
 * (Swagger) is found without anyone listing it. HEAD is left out: Fastify serves it with GET's handler.
 */
export function registeredRoutes(app: NestFastifyApplication): RegisteredRoute[] {
  const tree = app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
  const routes: RegisteredRoute[] = [];
  const prefixes: string[] = [];
  for (const line of tree.split('\n')) {
    const node = /^((?:│ {3}| {4})*)(?:├── |└── )(\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!node) continue;
    const depth = [...node[1]].length / 4;
    const path = (prefixes[depth - 1] ?? '') + node[2];
    prefixes[depth] = path;
    prefixes.length = depth + 1;
    for (const method of (node[3] ?? '').split(',').map((m) => m.trim())) {
      if (method && method !== 'HEAD') routes.push({ method, path });
    }
  }
  return routes;
}
