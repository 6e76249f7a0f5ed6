/**
 * The inventory schema's validator, compiled at build time for the page. The library validates
 * inventories with ajv (src/plan/inventory.ts), which compiles schemas to code with `new Function`:
 * the dashboard's Content-Security-Policy (script-src 'self', no 'unsafe-eval') rightly refuses
 * that. So the web build swaps the `ajv` import of src/plan/inventory.ts for this module's code:
 * the same schema (schema/inventory.schema.json, which a test pins equal to src/plan/schema.ts)
 * compiled by ajv's standalone generator with the same options, behind the same `compile` call.
 */
import { readFileSync } from 'node:fs';
import AjvModule from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';
import type { Plugin } from 'vite';

/** The options src/plan/inventory.ts compiles the schema with (a test compares the two validators). */
export const AJV_OPTIONS = { allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true } as const;

const SCHEMA_FILE = new URL('../schema/inventory.schema.json', import.meta.url);
const VIRTUAL = '\0openevc-precompiled-ajv';

type AjvCtor = new (opts: object) => { compile(s: object): unknown };
const interop = <T>(m: unknown): T => ((m as { default?: T }).default ?? m) as T;

/** The module that stands in for `ajv`: a class whose compile() returns the precompiled validator for this schema only. */
export function precompiledAjvModule(): string {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as { $id: string };
  const Ajv = interop<AjvCtor>(AjvModule);
  const standalone = interop<(ajv: unknown, v: unknown) => string>(standaloneModule);
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true } });
  let code = standalone(ajv, ajv.compile(schema));
  // The one runtime helper the schema needs (string length in code points), inlined.
  code = code.split('require("ajv/dist/runtime/ucs2length")').join('{ default: (s) => [...s].length }');
  if (code.includes('require(')) throw new Error('the precompiled inventory validator needs an ajv runtime helper this build does not inline');
  code = code.replace(/export default validate\d+;/, '');
  return `${code}
const SCHEMA_ID = ${JSON.stringify(schema.$id)};
export default class PrecompiledAjv {
  compile(s) {
    if (!s || s.$id !== SCHEMA_ID) throw new Error('this build precompiles the inventory schema only');
    return validate;
  }
}
`;
}

/** The Vite plugin: `ajv` imported from src/plan/inventory.ts resolves to {@link precompiledAjvModule}. */
export function precompiledAjv(): Plugin {
  return {
    name: 'openevc-precompiled-ajv',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === 'ajv' && importer && /[\\/]src[\\/]plan[\\/]inventory\.ts$/.test(importer)) return VIRTUAL;
      return null;
    },
    load(id) {
      return id === VIRTUAL ? precompiledAjvModule() : null;
    },
  };
}
