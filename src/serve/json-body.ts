/**
 * The one body parser: JSON, read as a string and parsed by JSON.parse. Any
 * other content type (text/plain included) is refused with 415 by fastify.
 * JSON.parse makes `__proto__` an ordinary own key, which the schemas then
 * name as an unknown field — rather than fastify's "not valid JSON".
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';

export function registerJsonBody(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(new ApiError(400, 'body', 'is empty'), undefined);
    try {
      done(null, JSON.parse(text) as unknown);
    } catch {
      done(new ApiError(400, 'body', 'is not valid JSON'), undefined);
    }
  });
}
