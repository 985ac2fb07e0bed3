/**
 * DNS-rebinding protection for a service on a loopback address: a web page
 * on evil.example whose name is re-pointed at 127.0.0.1 could otherwise read
 * the API from the user's browser. Browsers always send the name they
 * connected to as `Host`, so only the loopback names (and those the user
 * adds with --allow-host) are answered; others get 403.
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';

export const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || h === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** `Host` without its port, lower-cased: `[::1]:8080` → `[::1]`, `LocalHost:80` → `localhost`. */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end < 0 ? h : h.slice(0, end + 1);
  }
  const colon = h.indexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

export function registerHostCheck(app: FastifyInstance, allowed: readonly string[]): void {
  const names = new Set(allowed.map((n) => hostName(n)));
  app.addHook('onRequest', async (request) => {
    const header = request.headers.host;
    // HTTP/1.0 clients may omit Host (Node requires it from HTTP/1.1); browsers always send it.
    if (header === undefined) return;
    const name = hostName(header);
    if (names.has(name) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) return;
    throw new ApiError(403, 'host', `${JSON.stringify(header)} is not a name of this server: a service on a loopback address answers only ${[...names].join(', ')} (serve --allow-host adds names)`);
  });
}
