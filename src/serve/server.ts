/**
 * The HTTP service over a trained model (fastify 5). `buildServer` wires the
 * routes without binding a port (tests drive it with `app.inject`);
 * `startServer` listens and turns bind failures into one-line user errors.
 */
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { SentivecError, errnoCode } from '../util/errors.js';
import { ConnectionTracker } from './connections.js';
import { ApiError, errorHandler } from './errors.js';
import { LOOPBACK_NAMES, isLoopbackHost, registerHostCheck } from './host-check.js';
import { registerJsonBody } from './json-body.js';
import { collectMethods, registerMethodNotAllowed } from './methods.js';
import type { Explanation, MapPoint, Prediction, ServedModel, ServedTarget, ServedTargets } from './model.js';
import type { ModelInfo } from '../models/product/model-info.js';
import { MAX_K, MAX_MAP, intParam, mapSchema, neighborsSchema, predictSchema, wordSchema, type PredictBody } from './schemas.js';
import { registerWebPage } from './web.js';

export interface ServeOptions {
  /** Most texts in one POST /v1/predict (more → 422). */
  maxBatch?: number;
  /** Longest text in characters (UTF-16 code units; longer → 422). */
  maxTextLength?: number;
  /** Largest request body in bytes (larger → 413). */
  bodyLimit?: number;
  /** Most tokens one `explain: true` request may explain, over all its texts (more → 422): bounds the response. */
  maxExplainTokens?: number;
  /** Seconds a client may take to send a whole request, headers and body (slower → 408 and closed). */
  requestTimeout?: number;
  /** Seconds an idle keep-alive connection is kept open. */
  keepAliveTimeout?: number;
  /** Answer only these `Host` names (403 otherwise); startServer sets the loopback names on a loopback bind. */
  allowedHosts?: readonly string[];
  /** Folder holding index.html, app.js, style.css (default: the package's web/). */
  webRoot?: string;
  /** Fastify's JSON request log on stdout. */
  logger?: boolean;
  /**
   * A multi-target model's targets (train --target), the first being `model`: /v1/model lists them and
   * every prediction carries each target's answer under `targets`. Absent or one: a single-target model.
   */
  targets?: ServedTargets;
}

export const SERVE_DEFAULTS = { maxBatch: 64, maxTextLength: 50_000, bodyLimit: 1_048_576, maxExplainTokens: 20_000, requestTimeout: 30, keepAliveTimeout: 5 } as const;

/** Headers must arrive within this (a slow-headers client holds a connection for nothing). */
const HEADERS_TIMEOUT_MS = 10_000;

type Limits = Required<Pick<ServeOptions, 'maxBatch' | 'maxTextLength' | 'bodyLimit' | 'maxExplainTokens'>>;

const trackers = new WeakMap<FastifyInstance, ConnectionTracker>();

/** The connection tracker of a server made by buildServer (graceful shutdown uses it). */
export function connectionsOf(app: FastifyInstance): ConnectionTracker {
  const t = trackers.get(app);
  if (!t) throw new Error('not a server made by buildServer');
  return t;
}

export function buildServer(model: ServedModel, options: ServeOptions = {}): FastifyInstance {
  const limits: Limits = {
    maxBatch: options.maxBatch ?? SERVE_DEFAULTS.maxBatch,
    maxTextLength: options.maxTextLength ?? SERVE_DEFAULTS.maxTextLength,
    bodyLimit: options.bodyLimit ?? SERVE_DEFAULTS.bodyLimit,
    maxExplainTokens: options.maxExplainTokens ?? SERVE_DEFAULTS.maxExplainTokens,
  };
  const requestTimeoutMs = 1000 * (options.requestTimeout ?? SERVE_DEFAULTS.requestTimeout);
  const app = Fastify({
    bodyLimit: limits.bodyLimit,
    logger: options.logger ?? false,
    // Strict bodies: no silent coercion of 5 → "5" or dropping of misspelt fields.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    // Requests that reach an open connection while closing are answered (with Connection: close), not 503'd.
    return503OnClosing: false,
    // Slow clients: the whole request within requestTimeout, the headers within 10 s (checked every second).
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: 1000 * (options.keepAliveTimeout ?? SERVE_DEFAULTS.keepAliveTimeout),
    http: { headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs), connectionsCheckingInterval: 1000 },
    // Bad percent-encoding or an over-long path segment: the project's error body, not fastify's.
    frameworkErrors: (error, _request, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const status = tooLong ? 414 : 400;
      const reason = tooLong ? 'has a segment longer than 100 characters' : 'is not a valid percent-encoded URL';
      void (reply as FastifyReply).status(status).type('application/json; charset=utf-8').header('x-content-type-options', 'nosniff').send({ error: { field: 'path', reason } });
    },
  });
  trackers.set(app, new ConnectionTracker(app.server));
  registerJsonBody(app);
  const methods = collectMethods(app);
  if (options.allowedHosts) registerHostCheck(app, options.allowedHosts);

  app.setErrorHandler(
    errorHandler((e, request) => {
      if (options.logger) request.log.error({ err: e }, 'internal error');
      else process.stderr.write(`sentivec serve: internal error on ${request.method} ${request.url}: ${e.message}\n`);
    }),
  );
  // A request already being read when close() starts is answered, but its
  // keep-alive connection would then hold shutdown open until it times out.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) void reply.header('connection', 'close');
    // Every answer says what it is; browsers must not guess (a JSON error echoing input is not HTML).
    void reply.header('x-content-type-options', 'nosniff');
  });
  app.setNotFoundHandler(async (request) => {
    throw new ApiError(404, 'path', `no route for ${request.method} ${request.url.split('?')[0]}`);
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  // Two or more targets: the top level of every answer stays the first target's (clients of a single-target model read on).
  const targets = options.targets && options.targets.length > 1 ? options.targets : null;
  app.get('/v1/model', async () => ({
    ...(targets ? { targets: targets.map((t) => ({ name: t.name, labels: t.model.labels, names: t.model.names ?? t.model.labels, estimate: t.model.info.estimate ?? null, info: t.model.info })) } : {}),
    labels: model.labels,
    names: model.names ?? model.labels,
    vocabularySize: model.vectors.size,
    dim: model.vectors.dim,
    limits,
    // The honest accuracy estimate, at the top so clients need not dig into the training record.
    estimate: model.info.estimate ?? null,
    info: model.info,
  }));

  // The χ² ranking of the words on the model's training documents, stored by train --select.
  app.get('/v1/features', async () => {
    // A served model's info is the training record (SentimentModel) or a test double's object.
    const s = (model.info as Partial<Pick<ModelInfo, 'selection'>>).selection;
    if (!s) throw new ApiError(404, 'model', 'this model stores no feature ranking (train it with --select to store one)');
    return { ranking: s.ranking, selection: s.kept };
  });

  app.post<{ Body: PredictBody }>('/v1/predict', { schema: predictSchema }, async (request) => {
    const texts = textsOf(request.body, limits);
    const { explain, top } = request.body;
    // One token budget for the whole request: with several targets each explains every text.
    const budget = { max: limits.maxExplainTokens, used: 0 };
    const answer = (m: ServedTarget | ServedModel): (Prediction | Explanation)[] => (explain ? explainAll(m, texts, top, budget) : m.predict(texts, top));
    const predictions = answer(model);
    if (!targets) return { predictions };
    // Each target's answer (its explanation too) for each text.
    const per = targets.map((t, i) => (i === 0 ? predictions : answer(t.model)));
    return { predictions: predictions.map((p, i) => ({ ...p, targets: Object.fromEntries(targets.map((t, k) => [t.name, per[k][i]])) })) };
  });

  app.get<{ Querystring: { word: string; k?: string } }>('/v1/neighbors', { schema: neighborsSchema }, async (request) => {
    const { word } = request.query;
    const info = lookUp(model, word, intParam(request.query.k, 'k', 1, MAX_K, 10));
    return { word: info.word, neighbors: info.neighbors };
  });

  app.get<{ Params: { word: string }; Querystring: { k?: string } }>('/v1/words/:word', { schema: wordSchema }, async (request) =>
    lookUp(model, request.params.word, intParam(request.query.k, 'k', 1, MAX_K, 10)),
  );

  // PCA of the same words is asked for on every page load; keep the few sizes seen.
  const maps = new Map<number, MapPoint[]>();
  app.get<{ Querystring: { n?: string } }>('/v1/map', { schema: mapSchema }, async (request) => {
    const n = intParam(request.query.n, 'n', 1, MAX_MAP, 500);
    let points = maps.get(n);
    if (!points) {
      points = model.map(n);
      if (maps.size >= 8) maps.clear();
      maps.set(n, points);
    }
    return { points };
  });

  registerWebPage(app, options.webRoot);
  registerMethodNotAllowed(app, methods);
  return app;
}

/**
 * Explains texts until the request's token budget is spent: each token costs
 * about 80 bytes of response, so the budget bounds the answer (a 1 MiB
 * request was answered with 49.5 MB) and the work before it is refused.
 */
function explainAll(model: Pick<ServedModel, 'explain'>, texts: readonly string[], top: number | undefined, budget: { max: number; used: number }): Explanation[] {
  return texts.map((t, i) => {
    const e = model.explain(t, top);
    budget.used += e.tokens.length;
    if (budget.used > budget.max) {
      const field = texts.length === 1 ? 'text' : `texts[${i}]`;
      throw new ApiError(422, field, `brings the tokens to explain in this request to more than ${budget.max} (the limit, --max-explain-tokens; every target's explanation counts); explain fewer or shorter texts`);
    }
    return e;
  });
}

function textsOf(body: PredictBody, limits: Limits): string[] {
  if (body.text !== undefined && body.texts !== undefined) throw new ApiError(400, 'texts', 'give "text" or "texts", not both');
  let texts: string[];
  let fieldOf: (i: number) => string;
  if (body.text !== undefined) {
    texts = [body.text];
    fieldOf = () => 'text';
  } else if (body.texts !== undefined) {
    texts = body.texts;
    fieldOf = (i) => `texts[${i}]`;
    if (texts.length > limits.maxBatch) {
      throw new ApiError(422, 'texts', `has ${texts.length} texts; the limit is ${limits.maxBatch} per request`);
    }
  } else {
    throw new ApiError(400, 'text', 'is required (a string), or give "texts" (an array of strings)');
  }
  texts.forEach((t, i) => {
    if (t.length > limits.maxTextLength) {
      throw new ApiError(422, fieldOf(i), `is ${t.length} characters long; the limit is ${limits.maxTextLength}`);
    }
  });
  return texts;
}

function lookUp(model: ServedModel, word: string, k: number) {
  const info = model.word(word, k);
  if (!info) throw new ApiError(404, 'word', `"${word}" is not in the vocabulary`);
  return info;
}

export interface StartOptions extends ServeOptions {
  port?: number;
  host?: string;
}

export interface RunningServer {
  app: FastifyInstance;
  /** e.g. http://127.0.0.1:8080 (the real port when asked for port 0). */
  url: string;
}

export async function startServer(model: ServedModel, options: StartOptions = {}): Promise<RunningServer> {
  const port = options.port ?? 8080;
  const host = options.host ?? '127.0.0.1';
  // On a loopback bind only loopback names (plus the ones asked for) are answered: see host-check.ts.
  const allowedHosts = options.allowedHosts ?? (isLoopbackHost(host) ? LOOPBACK_NAMES : undefined);
  const app = buildServer(model, { ...options, allowedHosts: allowedHosts && isLoopbackHost(host) ? [...LOOPBACK_NAMES, ...allowedHosts] : allowedHosts });
  try {
    await app.listen({ port, host });
  } catch (e) {
    await app.close().catch(() => undefined);
    throw listenError(e, port, host);
  }
  const address = app.server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { app, url: `http://${shownHost}:${address.port}` };
}

function listenError(e: unknown, port: number, host: string): unknown {
  switch (errnoCode(e)) {
    case 'EADDRINUSE':
      return new SentivecError(`port ${port} on ${host} is already in use`);
    case 'EACCES':
    case 'EPERM':
      return new SentivecError(`not allowed to listen on port ${port} on ${host} (ports below 1024 need privileges)`);
    case 'EADDRNOTAVAIL':
      return new SentivecError(`cannot listen on ${host}: not an address of this machine`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new SentivecError(`cannot listen on ${host}: unknown host name`);
    default:
      return e;
  }
}
