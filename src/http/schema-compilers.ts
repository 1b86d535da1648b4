import AjvCompiler from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

/**
 * Fastify's schema compilers (ajv for requests, fast-json-stringify for responses), with every compiled
 * function kept by its schema's content and handed to any later Fastify instance that asks for the same one.
 *
 * Why: an instance compiles all ~200 routes' schemas when it becomes ready — about 0.3 s of one core for
 * this API. A server builds one instance, so this changes nothing there; but the test suite builds one (or
 * several) per test file on each database, and a benchmark builds one per figure. One set of compilers per
 * process lets the second and later instances skip the work. The compiled functions are pure (ajv's
 * validators and fast-json-stringify's serialisers keep no per-instance state), so sharing them is safe;
 * the key includes the external schemas and the compiler options, so an instance configured differently
 * gets its own.
 */
export interface SchemaCompilers {
  buildValidator: ReturnType<typeof AjvCompiler>;
  buildSerializer: ReturnType<typeof SerializerSelector>;
}

type Validate = ReturnType<SchemaCompilers['buildValidator']>;
// What Fastify passes when it compiles one part of one route (the ajv-compiler types name only the schema).
interface ValidatorRoute {
  schema: Parameters<Validate>[0];
  httpPart?: string;
  contentType?: string;
}

export function createSchemaCompilers(): SchemaCompilers {
  const validatorFactory = AjvCompiler();
  const serializerFactory = SerializerSelector();
  const validators = new Map<string, unknown>();
  const serializers = new Map<string, unknown>();

  const buildValidator = ((externalSchemas, options) => {
    const compile = validatorFactory(externalSchemas, options);
    // Bodies are typed JSON: a wrong type is refused, never converted (`matterCodes: [false]` used to be
    // stored as ["false"], a lone string taken for a one-item array). Only the path, query and headers —
    // text by nature — are coerced to the types their schemas name.
    const strict = validatorFactory(externalSchemas, { ...options, customOptions: { ...options?.customOptions, coerceTypes: false } } as typeof options);
    // Plugins are functions (invisible to JSON.stringify): count them, so a differently plugged instance differs.
    const prefix = JSON.stringify([externalSchemas, options?.customOptions ?? null, options?.plugins?.length ?? 0, options?.mode ?? null]);
    return ((route: ValidatorRoute) => {
      const key = `${prefix}|${route.httpPart ?? ''}|${route.contentType ?? ''}|${JSON.stringify(route.schema)}`;
      let fn = validators.get(key);
      const chosen = route.httpPart === 'body' ? strict : compile;
      if (fn === undefined) validators.set(key, (fn = (chosen as unknown as (r: ValidatorRoute) => unknown)(route)));
      return fn;
    }) as unknown as Validate;
  }) as SchemaCompilers['buildValidator'];

  const buildSerializer = ((externalSchemas, serializerOpts) => {
    const compile = serializerFactory(externalSchemas, serializerOpts);
    const prefix = JSON.stringify([externalSchemas, serializerOpts ?? null]);
    return (route) => {
      const key = `${prefix}|${JSON.stringify(route.schema)}`;
      let fn = serializers.get(key) as ReturnType<typeof compile> | undefined;
      if (fn === undefined) serializers.set(key, (fn = compile(route)));
      return fn;
    };
  }) as SchemaCompilers['buildSerializer'];

  return { buildValidator, buildSerializer };
}
