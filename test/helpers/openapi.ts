import Ajv2020 from 'ajv/dist/2020.js';
import { expect } from 'vitest';
import { openapiDocument } from '../../src/server/openapi.js';

const ajv = new Ajv2020.default({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(openapiDocument('test'), 'api');

/** Asserts that a real API answer matches the schema the OpenAPI document gives for it. */
export function expectSchema(name: string, value: unknown): void {
  const validate = ajv.getSchema(`api#/components/schemas/${name}`)!;
  const ok = validate(value);
  expect(ok ? [] : validate.errors, `${name}: ${JSON.stringify(value).slice(0, 300)}`).toEqual([]);
}

/** Whether the OpenAPI document's schema `name` accepts `value`. */
export function schemaAccepts(name: string, value: unknown): boolean {
  return Boolean(ajv.getSchema(`api#/components/schemas/${name}`)!(value));
}
