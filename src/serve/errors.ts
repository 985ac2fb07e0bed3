/**
 * Every error response has one shape, `{ error: { field, reason } }`, so a
 * client can point at the offending input without parsing prose. `field` is
 * a path into the request (`texts[3]`, `k`, `body`) or null.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isSentivecError } from '../util/errors.js';

export interface ErrorBody {
  error: { field: string | null; reason: string };
}

/** An error the client caused, with the status and field to report. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly field: string | null,
    readonly reason: string,
  ) {
    super(`${field ?? 'request'}: ${reason}`);
    this.name = 'ApiError';
  }
}

/** The subset of an ajv error object that fastify attaches as `error.validation`. */
interface SchemaIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** `/texts/3` → `texts[3]`, `/explain` → `explain`. */
function pointerToField(pointer: string): string {
  let out = '';
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(key) ? `[${key}]` : out === '' ? key : `.${key}`;
  }
  return out;
}

export function describeSchemaIssue(issue: SchemaIssue, context: string | undefined): { field: string | null; reason: string } {
  const here = pointerToField(issue.instancePath);
  const join = (child: string): string => (here === '' ? child : `${here}.${child}`);
  if (issue.keyword === 'required' && typeof issue.params.missingProperty === 'string') {
    return { field: join(issue.params.missingProperty), reason: 'is required' };
  }
  if (issue.keyword === 'additionalProperties' && typeof issue.params.additionalProperty === 'string') {
    return { field: join(issue.params.additionalProperty), reason: 'is not a known field' };
  }
  const reason = issue.message ?? `fails ${issue.keyword}`;
  if (here !== '') return { field: here, reason };
  return { field: context === 'body' || context === undefined ? 'body' : context, reason };
}

function send(reply: FastifyReply, status: number, field: string | null, reason: string): void {
  const body: ErrorBody = { error: { field, reason } };
  void reply.status(status).type('application/json; charset=utf-8').send(body);
}

/**
 * Fastify error handler: schema failures → 400 naming the field, oversized
 * bodies → 413, client errors thrown by handlers keep their status, and
 * anything unexpected → 500 without internals (logged via `logInternal`).
 */
export function errorHandler(logInternal: (e: Error, request: FastifyRequest) => void) {
  return (error: FastifyError | ApiError | Error, request: FastifyRequest, reply: FastifyReply): void => {
    if (error instanceof ApiError) return send(reply, error.statusCode, error.field, error.reason);
    const fe = error as FastifyError;
    if (Array.isArray(fe.validation) && fe.validation.length > 0) {
      const { field, reason } = describeSchemaIssue(fe.validation[0] as SchemaIssue, fe.validationContext);
      return send(reply, 400, field, reason);
    }
    switch (fe.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(reply, 413, 'body', `is larger than the limit of ${request.routeOptions.bodyLimit ?? '?'} bytes`);
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return send(reply, 400, 'body', 'is not valid JSON');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(reply, 400, 'body', 'is empty');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(reply, 415, 'content-type', 'must be application/json');
      default:
        break;
    }
    if (isSentivecError(error)) return send(reply, 422, null, error.message);
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      return send(reply, fe.statusCode, null, fe.message);
    }
    logInternal(error, request);
    return send(reply, 500, null, 'internal error');
  };
}
