/**
 * The handler of every error: an AppError (platform/errors.ts) answers as it says; everything else
 * is mapped: validation → 400 with the fields named, parser errors → 400 (`invalid_json`)/413/415,
 * a database that cannot be reached (down, restarting) → 503 with Retry-After, and any unexpected
 * error → a 500 that never carries internals.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ErrorCode, FieldProblem, ProblemCode, ProblemParams } from '@opsi/contracts/common';
import { isDatabaseUnavailable } from '@opsi/db/unavailable';
import { AppError, errorBody, problem, STATUS } from '../platform/errors.ts';

interface AjvIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** A JSON Schema keyword → the problem code clients translate, and the params its text needs. */
function codeOf(issue: AjvIssue): { code: ProblemCode; params?: ProblemParams } {
  const limit = typeof issue.params?.limit === 'number' ? issue.params.limit : undefined;
  switch (issue.keyword) {
    case 'required':
      return { code: 'required' };
    case 'additionalProperties':
      return { code: 'unknown_field' };
    case 'type':
      return { code: 'wrong_type', params: { type: String(issue.params?.type ?? '') } };
    case 'minLength':
      return { code: 'too_short', params: { min: limit ?? 0 } };
    case 'maxLength':
      return { code: 'too_long', params: { max: limit ?? 0 } };
    case 'minimum':
    case 'exclusiveMinimum':
      return { code: 'too_small', params: { min: limit ?? 0 } };
    case 'maximum':
    case 'exclusiveMaximum':
      return { code: 'too_large', params: { max: limit ?? 0 } };
    case 'minItems':
      return { code: 'too_few', params: { min: limit ?? 0 } };
    case 'maxItems':
      return { code: 'too_many', params: { max: limit ?? 0 } };
    case 'uniqueItems':
      return { code: 'duplicate' };
    case 'pattern':
      return { code: 'bad_pattern' };
    case 'format':
      return { code: 'bad_format', params: { format: String(issue.params?.format ?? '') } };
    case 'enum':
    case 'const':
    case 'anyOf':
    case 'oneOf':
      return { code: 'not_allowed' };
    default:
      return { code: 'invalid' };
  }
}

function fieldProblems(error: FastifyError): FieldProblem[] {
  const where = error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'body');
  return ((error.validation ?? []) as AjvIssue[]).map((issue) => {
    const path = (issue.instancePath ?? '').split('/').filter(Boolean);
    const missing = issue.params?.missingProperty;
    const extra = issue.params?.additionalProperty;
    if (typeof missing === 'string') path.push(missing);
    if (typeof extra === 'string') path.push(extra);
    const field = path.length ? path.join('.') : where;
    let message = issue.message ?? 'is invalid';
    if (typeof missing === 'string') message = 'is required';
    else if (typeof extra === 'string') message = 'is not a known field';
    const { code, params } = codeOf(issue);
    return problem(field, code, `${field} ${message}`.trim(), params);
  });
}

const PARSER_ERRORS: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_BAD_URL: 'validation_failed',
};

function codeForStatus(status: number): ErrorCode {
  const match = (Object.entries(STATUS) as [ErrorCode, number][]).find(([, s]) => s === status);
  return match ? match[0] : status >= 500 ? 'internal_error' : 'validation_failed';
}

async function errorsPlugin(fastify: FastifyInstance) {
  fastify.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      reply.headers(error.headers);
      return reply.status(error.statusCode).send(errorBody(error.code, error.message, error.details));
    }
    if (error.validation) {
      const details = fieldProblems(error);
      const message = `Invalid request: ${details.map((d) => d.message).join('; ')}`;
      return reply.status(400).send(errorBody('validation_failed', message, details));
    }
    const parserCode = error.code ? PARSER_ERRORS[error.code] : undefined;
    if (parserCode) {
      const details =
        parserCode === 'invalid_json' ? [problem('body', 'invalid_json', 'body is not valid JSON')] : undefined;
      return reply.status(STATUS[parserCode]).send(errorBody(parserCode, error.message, details));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = codeForStatus(status);
      if (status === 429) return reply.status(429).send(errorBody('rate_limited', error.message));
      return reply.status(status).send(errorBody(code, error.message));
    }
    if (isDatabaseUnavailable(error)) {
      // The database is down or restarting: a clear 503 a client may retry, not a 500.
      request.log.warn({ err: error }, 'the database is unavailable');
      return reply
        .status(503)
        .header('retry-after', '5')
        .send(errorBody('service_unavailable', 'The database is unavailable for a moment. Please try again shortly.'));
    }
    request.log.error({ err: error }, 'unhandled error');
    const unavailable = status === 503;
    return reply
      .status(unavailable ? 503 : 500)
      .send(
        errorBody(
          unavailable ? 'service_unavailable' : 'internal_error',
          `Something went wrong on our side. Please try again; if it persists, quote request id ${request.id}.`,
        ),
      );
  });
}

export default fp(errorsPlugin, { name: 'errors' });
