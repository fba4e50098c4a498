/**
 * Text the API never takes in: NUL (PostgreSQL text cannot hold it, so it used to end in a 500) and
 * the other C0 control characters except tab, line feed and carriage return. One check for every
 * /api route, before schema validation and the handler, over every string (and object key) of the
 * JSON or form body, the query string and the path parameters: a 400 `validation_failed` naming
 * each field. Tab, CR and LF stay allowed because multi-line text (posts, bios, descriptions) needs
 * them; single-line fields are put on one line by their service (e.g. a display name).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { FieldProblem } from '@opsi/contracts/common';
import { AppError, problem } from '../platform/errors.ts';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN = /[\u0000-\u0008\v\f\u000e-\u001f]/;
// eslint-disable-next-line no-control-regex -- the same set, to mask it in a field name
const FORBIDDEN_ALL = /[\u0000-\u0008\v\f\u000e-\u001f]/g;
const MAX_DEPTH = 32;

/** The fields (dotted paths, as validation errors name them) whose text holds a forbidden character. */
export function fieldsWithControls(value: unknown, path: string[] = [], found = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    if (FORBIDDEN.test(value)) found.add(path.join('.'));
  } else if (value && typeof value === 'object' && path.length < MAX_DEPTH) {
    for (const [key, item] of Object.entries(value)) {
      const name = key.replace(FORBIDDEN_ALL, '?');
      if (name !== key) found.add([...path, name].join('.'));
      fieldsWithControls(item, [...path, name], found);
    }
  }
  return found;
}

async function controlCharactersPlugin(fastify: FastifyInstance) {
  // Callback style: no promise for every request.
  fastify.addHook('preValidation', (request, _reply, done) => {
    if (!request.routeOptions.url?.startsWith('/api/')) return done();
    const fields = new Set<string>();
    for (const part of [request.params, request.query, request.body]) fieldsWithControls(part, [], fields);
    if (!fields.size) return done();
    const details: FieldProblem[] = [...fields].map((field) =>
      problem(
        field || 'body',
        'control_characters',
        `${field || 'body'} must not contain control characters (such as NUL)`,
      ),
    );
    done(new AppError('validation_failed', `Invalid request: ${details.map((d) => d.message).join('; ')}`, details));
  });
}

export default fp(controlCharactersPlugin, { name: 'control-characters', dependencies: ['errors'] });
