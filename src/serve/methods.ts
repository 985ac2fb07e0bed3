/**
 * 405 Method Not Allowed, with the `Allow` header, for a known path asked
 * with another method (instead of a 404 that suggests the path is wrong).
 * Registered after the real routes: for each path, every common method it
 * lacks answers 405 before its body is read.
 */
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { ApiError } from './errors.js';

const COMMON: readonly HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Call before the routes are added: collects each path's methods. */
export function collectMethods(app: FastifyInstance): Map<string, Set<string>> {
  const byPath = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    const set = byPath.get(route.url) ?? new Set<string>();
    for (const m of Array.isArray(route.method) ? route.method : [route.method]) set.add(m);
    byPath.set(route.url, set);
  });
  return byPath;
}

/** Call after the routes are added. */
export function registerMethodNotAllowed(app: FastifyInstance, byPath: Map<string, Set<string>>): void {
  for (const [url, methods] of [...byPath]) {
    const missing = COMMON.filter((m) => !methods.has(m));
    if (missing.length === 0) continue;
    const allow = COMMON.filter((m) => methods.has(m)).join(', ');
    app.route({
      method: missing,
      url,
      // onRequest: before any body is read or parsed, so a POST of text/plain to a GET path is a 405, not a 415.
      onRequest: async (request, reply) => {
        void reply.header('allow', allow);
        throw new ApiError(405, 'method', `${request.method} is not allowed on ${url}; use ${allow}`);
      },
      handler: async () => undefined,
    });
  }
}
