/**
 * Request schemas, checked by fastify's built-in ajv before a handler runs.
 * Type coercion is off (see server.ts), so query parameters arrive as strings
 * and are range-checked by `intParam`, which gives a friendlier reason than
 * an ajv pattern message.
 */
import { ApiError } from './errors.js';

export interface PredictBody {
  text?: string;
  texts?: string[];
  explain?: boolean;
  top?: number;
}

export const MAX_TOP = 50;
export const MAX_K = 100;
export const MAX_MAP = 5000;

export const predictSchema = {
  body: {
    type: 'object',
    additionalProperties: false,
    properties: {
      text: { type: 'string' },
      texts: { type: 'array', minItems: 1, items: { type: 'string' } },
      explain: { type: 'boolean' },
      top: { type: 'integer', minimum: 1, maximum: MAX_TOP },
    },
  },
} as const;

export const neighborsSchema = {
  querystring: {
    type: 'object',
    additionalProperties: false,
    required: ['word'],
    properties: { word: { type: 'string', minLength: 1 }, k: { type: 'string' } },
  },
} as const;

export const wordSchema = {
  params: { type: 'object', properties: { word: { type: 'string', minLength: 1 } } },
  querystring: { type: 'object', additionalProperties: false, properties: { k: { type: 'string' } } },
} as const;

export const mapSchema = {
  querystring: { type: 'object', additionalProperties: false, properties: { n: { type: 'string' } } },
} as const;

/** Parses an optional integer query parameter in [min, max]; 400 naming it otherwise. */
export function intParam(value: string | undefined, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) throw new ApiError(400, field, `must be an integer from ${min} to ${max}`);
  return n;
}
