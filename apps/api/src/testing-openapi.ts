/**
 * Test support: holds real responses to the OpenAPI document the server publishes, as a
 * validating proxy would. For each response: its operation is in the document, its status is
 * documented for that operation, its media type is the documented one, and its body validates
 * against the documented schema (Ajv, `$ref`s resolved inside the document).
 */
import AjvCompiler from '@fastify/ajv-compiler';

interface MediaType {
  schema?: unknown;
}
interface Response {
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId?: string;
  responses?: Record<string, Response>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

/** What the validator needs of a response (light-my-request's and fetch's both fit). */
export interface SeenResponse {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}

type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };
interface Ajv {
  addSchema(schema: object, key: string): unknown;
  compile(schema: object): Validate;
  errorsText(errors?: unknown[] | null): string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** A JSON pointer token, escaped for use in a URI fragment. */
function token(text: string): string {
  return encodeURIComponent(text.replaceAll('~', '~0').replaceAll('/', '~1'));
}

function pathPattern(path: string): RegExp {
  const source = path
    .split(/(\{[^{}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

export function responseValidator(document: OpenApiDocument) {
  let ajv: Ajv | undefined;
  AjvCompiler()(
    {},
    {
      // Responses are checked as sent: nothing coerced, defaulted or removed.
      customOptions: {
        strict: false,
        allErrors: true,
        coerceTypes: false,
        useDefaults: false,
        removeAdditional: false,
        validateSchema: false,
      },
      onCreate: (instance) => {
        ajv = instance as unknown as Ajv;
      },
    },
  );
  if (!ajv) throw new Error('no Ajv instance');
  const validator: Ajv = ajv;
  validator.addSchema(document, 'openapi.json');

  // Literal paths win over templated ones (/cases/facets before /cases/{slug}), as in the router.
  const templates = Object.keys(document.paths)
    .map((path) => ({ path, pattern: pathPattern(path), params: (path.match(/\{/g) ?? []).length }))
    .sort((a, b) => a.params - b.params);
  const compiled = new Map<string, Validate>();
  const visited = new Set<string>();

  function schemaValidator(path: string, method: string, status: string, media: string): Validate {
    const ref = `openapi.json#/paths/${token(path)}/${method}/responses/${status}/content/${token(media)}/schema`;
    let validate = compiled.get(ref);
    if (!validate) {
      validate = validator.compile({ $ref: ref });
      compiled.set(ref, validate);
    }
    return validate;
  }

  return {
    /** Every documented operation, as `GET /api/v1/cases/{slug}`. */
    operations(): string[] {
      return Object.entries(document.paths).flatMap(([path, item]) =>
        METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`),
      );
    },
    /** The operations `check` has seen a response of. */
    visited(): Set<string> {
      return visited;
    },
    /** What is wrong with this response to `method url`, as sentences (none: it is as documented). */
    check(method: string, url: string, response: SeenResponse): string[] {
      const lower = method.toLowerCase();
      const pathname = new URL(url, 'http://x').pathname;
      const template = templates.find((t) => t.pattern.test(pathname) && document.paths[t.path]?.[lower]);
      const what = `${method.toUpperCase()} ${url.slice(0, 120)} → ${response.statusCode}`;
      if (!template) return [`${what}: no such operation in the document`];
      visited.add(`${method.toUpperCase()} ${template.path}`);
      const operation = document.paths[template.path]![lower]!;
      const status = String(response.statusCode);
      const documented =
        operation.responses?.[status] ?? operation.responses?.[`${status[0]}XX`] ?? operation.responses?.default;
      if (!documented) {
        const known = Object.keys(operation.responses ?? {}).join(', ');
        return [`${what}: status ${status} is not documented (documented: ${known})`];
      }
      const statusKey = operation.responses?.[status]
        ? status
        : operation.responses?.[`${status[0]}XX`]
          ? `${status[0]}XX`
          : 'default';
      const rawType = response.headers['content-type'];
      const media = typeof rawType === 'string' ? rawType.split(';')[0]!.trim().toLowerCase() : undefined;
      if (response.body.length === 0) {
        return documented.content
          ? [`${what}: empty body, but the document promises ${Object.keys(documented.content).join(', ')}`]
          : [];
      }
      const types = Object.keys(documented.content ?? {});
      if (!media || !documented.content?.[media]) {
        return [`${what}: sent as ${media ?? 'no content type'}, documented as ${types.join(', ') || 'no body'}`];
      }
      let data: unknown = response.body;
      if (/[/+]json$/.test(media)) {
        try {
          data = JSON.parse(response.body);
        } catch {
          return [`${what}: the ${media} body is not JSON`];
        }
      }
      if (documented.content[media].schema === undefined) return [];
      const validate = schemaValidator(template.path, lower, statusKey, media);
      if (validate(data)) return [];
      return [`${what}: the body does not match the documented schema: ${validator.errorsText(validate.errors)}`];
    },
  };
}
