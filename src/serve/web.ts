/**
 * The web page: three hand-written files in web/ at the package root, read
 * once at start-up and served from memory. A fixed list of names (no path
 * joining from the URL) means no request can reach another file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';

/** dist/src/serve/web.js → <package>/web */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../web/', import.meta.url));

const ASSETS: readonly { route: string; file: string; type: string }[] = [
  { route: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { route: '/app.js', file: 'app.js', type: 'text/javascript; charset=utf-8' },
  { route: '/style.css', file: 'style.css', type: 'text/css; charset=utf-8' },
];

// The page loads nothing from elsewhere; saying so lets the browser enforce it.
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

export function registerWebPage(app: FastifyInstance, root: string = DEFAULT_WEB_ROOT): void {
  for (const asset of ASSETS) {
    const file = path.join(root, asset.file);
    let content: Buffer | undefined;
    try {
      content = readFileSync(file);
    } catch {
      content = undefined;
    }
    app.get(asset.route, async (_request, reply) => {
      if (content === undefined) throw new ApiError(404, 'path', `the web page is not installed (${file} is missing)`);
      return reply
        .type(asset.type)
        .header('cache-control', 'no-cache')
        .header('content-security-policy', CSP)
        .header('x-content-type-options', 'nosniff')
        .send(content);
    });
  }
}
