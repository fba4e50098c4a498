/**
 * Fastify compiles every route's validators (Ajv) and response serializers (fast-json-stringify)
 * while the app starts: seconds of CPU for a few hundred schemas, most of which one process never
 * serves, paid again by every start and by every test that builds an app. Here each one is
 * compiled when first used instead, with the same compilers and options; `warm()` compiles the
 * rest in the background once the server listens, one at a time between requests, so a broken
 * schema still shows in the log soon after a start and the first requests stay fast.
 */
import AjvCompiler from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

/** A compiled Ajv validator as Fastify calls it (it reads `errors` and `schemaEnv` off the function). */
type Validate = ((data: unknown, context?: unknown) => unknown) & { errors?: unknown; schemaEnv?: unknown };
type Serialize = (data: unknown) => string;
type Route = { httpPart?: string };

export interface LazySchemaCompilers {
  /** Fastify's `schemaController.compilersFactory`. */
  compilersFactory: { buildValidator: never; buildSerializer: never };
  /** Compiles what has not been used yet, yielding to the event loop between schemas. */
  warm(): Promise<void>;
  /** How many schemas wait to be compiled (for tests). */
  pending(): number;
}

export function lazySchemaCompilers(ajvOptions: Record<string, unknown>): LazySchemaCompilers {
  const waiting = new Set<() => unknown>();

  function once<T>(compile: () => T): () => T {
    let compiled: T | undefined;
    const get = () => {
      if (compiled === undefined) {
        compiled = compile();
        waiting.delete(get);
      }
      return compiled;
    };
    waiting.add(get);
    return get;
  }

  function lazyValidator(compile: () => Validate): Validate {
    const get = once(compile);
    const validate: Validate = (data, context) => {
      const compiled = get();
      const result = compiled(data, context);
      validate.errors = compiled.errors;
      return result;
    };
    // Fastify passes the parent (so Ajv can coerce a root value) only to functions with a schemaEnv.
    Object.defineProperty(validate, 'schemaEnv', { get: () => get().schemaEnv });
    return validate;
  }

  function lazySerializer(compile: () => Serialize): Serialize {
    const get = once(compile);
    return (data) => get()(data);
  }

  // JSON bodies are checked strictly (a number is not a string, 0 is not null); query strings and
  // path parameters, which are text, are coerced to the types their schemas give.
  const buildValidator = (externalSchemas: unknown, options: unknown) => {
    const coercing = AjvCompiler()(externalSchemas as never, options as never);
    const strict = AjvCompiler()(externalSchemas as never, { customOptions: { ...ajvOptions, coerceTypes: false } });
    return (route: Route) =>
      lazyValidator(() => (route.httpPart === 'body' ? strict : coercing)(route as never) as unknown as Validate);
  };
  const buildSerializer = (externalSchemas: unknown, options: unknown) => {
    const compile = SerializerSelector()(externalSchemas, options as never);
    return (route: unknown) => lazySerializer(() => compile(route as never));
  };

  return {
    compilersFactory: { buildValidator: buildValidator as never, buildSerializer: buildSerializer as never },
    async warm() {
      for (const get of [...waiting]) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        get();
      }
    },
    pending: () => waiting.size,
  };
}
