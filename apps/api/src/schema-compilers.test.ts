import Fastify from 'fastify';
import { Type } from 'typebox';
import { afterEach, describe, expect, it } from 'vitest';
import { lazySchemaCompilers } from './schema-compilers.ts';

const AJV_OPTIONS = { allErrors: true, coerceTypes: 'array', removeAdditional: false } as const;

async function appWith() {
  const schemas = lazySchemaCompilers(AJV_OPTIONS);
  const app = Fastify({
    ajv: { customOptions: AJV_OPTIONS },
    schemaController: { compilersFactory: schemas.compilersFactory },
  });
  app.post(
    '/things/:id',
    {
      schema: {
        params: Type.Object({ id: Type.Integer() }),
        querystring: Type.Object({ tags: Type.Array(Type.String()), limit: Type.Integer({ default: 20 }) }),
        body: Type.Object({ count: Type.Integer(), note: Type.Optional(Type.String()) }),
        response: {
          200: Type.Object({
            id: Type.Integer(),
            count: Type.Integer(),
            tags: Type.Array(Type.String()),
            limit: Type.Integer(),
          }),
        },
      },
    },
    async (request) => {
      const { id } = request.params as { id: number };
      const { tags, limit } = request.query as { tags: string[]; limit: number };
      const { count } = request.body as { count: number };
      return { id, count, tags, limit, secret: 'never sent' };
    },
  );
  app.get('/other', { schema: { response: { 200: Type.Object({ ok: Type.Boolean() }) } } }, async () => ({ ok: true }));
  await app.ready();
  return { app, schemas };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('route schemas compiled on first use', () => {
  it('compiles nothing at start, then validates, coerces and serializes as Fastify’s own compilers do', async () => {
    const { app, schemas } = await appWith();
    close = () => app.close();
    const atStart = schemas.pending();
    // params, querystring and body validators, and the response serializers of POST, GET and HEAD.
    expect(atStart).toBe(6);

    const ok = await app.inject({ method: 'POST', url: '/things/7?tags=a', payload: { count: 3 } });
    expect(ok.statusCode).toBe(200);
    // Path and query text coerced (a lone tag becomes an array), the default applied, and the
    // serializer drops what the response schema does not name.
    expect(ok.json()).toEqual({ id: 7, count: 3, tags: ['a'], limit: 20 });
    expect(schemas.pending()).toBe(2);

    // Bodies are strict: a number given as text is refused, naming the field.
    const strict = await app.inject({ method: 'POST', url: '/things/7?tags=a', payload: { count: '3' } });
    expect(strict.statusCode).toBe(400);
    expect(strict.json().message).toContain('body/count');
    const badParam = await app.inject({ method: 'POST', url: '/things/seven?tags=a', payload: { count: 3 } });
    expect(badParam.statusCode).toBe(400);
    expect(badParam.json().message).toContain('params/id');
  });

  it('warm() compiles what was not used yet', async () => {
    const { app, schemas } = await appWith();
    close = () => app.close();
    await schemas.warm();
    expect(schemas.pending()).toBe(0);
    const other = await app.inject({ method: 'GET', url: '/other' });
    expect(other.json()).toEqual({ ok: true });
  });
});
