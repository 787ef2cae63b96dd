import * as z from 'zod';
import { Channel, ClientId, MessageType } from './primitives.ts';
import { MethodResultSchemas } from './results.ts';
import type { Method } from './requests.ts';
import { WireError, WireOtherEvent, WireQueueEvent, WireResponse } from './wire.ts';
import { WireRequestV102, WireRequestV103 } from './wireRequest.ts';

// Builds `@connmix/core/json-schema` (JSON Schema draft 2020-12) from the zod schemas. Run at
// build time by scripts/build-json-schema.ts; the layout is documented in the core README.

type JsonSchema = Record<string, unknown>;

/** Where the document says it lives; `$ref`s inside it are relative (`#/$defs/...`). */
export const JSON_SCHEMA_ID = 'urn:connmix:json-schema';

const METHODS = Object.keys(MethodResultSchemas) as Method[];

/** One zod schema as a JSON Schema fragment (input side: what is on the wire). */
function convert(schema: z.ZodType): JsonSchema {
  const { $schema: _drop, ...json } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any', // z.custom: closed by closeGaps, which throws where it cannot
    override: closeGaps,
  }) as JsonSchema;
  const unclosed = findUnclosed(json);
  if (unclosed !== undefined) {
    throw new Error(
      `a custom check at ${unclosed || '(root)'} has no JSON Schema form: give it .meta({ jsonSchema }) or a $comment`,
    );
  }
  return json;
}

/** Marks a custom check that no meta closed; a replacement further out may still cover it. */
const UNCLOSED = 'x-connmix-unclosed';

function findUnclosed(value: unknown, path = ''): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (UNCLOSED in value) return path;
  for (const [key, child] of Object.entries(value)) {
    const found = findUnclosed(child, path ? `${path}/${key}` : key);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Closes what `z.toJSONSchema` leaves open on these schemas:
 * - a `jsonSchema` meta replaces zod's output for its schema (each `z.custom` would be `{}`);
 * - a custom check (`z.custom`, `.refine`) that no meta covers is an error, not a silent `{}`;
 * - `z.tuple([])` is written `prefixItems: []`, which the 2020-12 meta-schema refuses
 *   (`prefixItems` needs an item): `maxItems: 0` alone says it.
 */
function closeGaps(ctx: { zodSchema: unknown; jsonSchema: JsonSchema; path: Array<string | number> }): void {
  const schema = ctx.zodSchema as z.ZodType;
  const meta = z.globalRegistry.get(schema) as JsonSchema | undefined;
  const replacement = meta?.['jsonSchema'] as JsonSchema | undefined;
  delete ctx.jsonSchema['jsonSchema'];
  if (replacement) {
    for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
    Object.assign(ctx.jsonSchema, JSON.parse(JSON.stringify(replacement)) as JsonSchema);
    return;
  }
  const def = schema._zod.def as { type: string; checks?: Array<{ _zod: { def: { check: string } } }> };
  const custom =
    def.type === 'custom' || (def.checks ?? []).some((check) => check._zod.def.check === 'custom');
  if (custom && meta === undefined) ctx.jsonSchema[UNCLOSED] = true;
  const prefixItems = ctx.jsonSchema['prefixItems'];
  if (Array.isArray(prefixItems) && prefixItems.length === 0) delete ctx.jsonSchema['prefixItems'];
}

const ref = (name: string) => ({ $ref: `#/$defs/${name}` });

/** `mesh.send` → `MeshSend`: `$defs` names need no escaping in a JSON Pointer. */
export function pascal(method: string): string {
  return method
    .split('.')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** `v1.0.2` → `V102`. */
export function dialectName(dialect: 'v1.0.2' | 'v1.0.3'): string {
  return `V${dialect.slice(1).replaceAll('.', '')}`;
}

/** The method a wire request option is for (its `m` literal). */
function methodOf(option: z.ZodType): string {
  const json = convert(option) as { properties?: { m?: { const?: string } } };
  const method = json.properties?.m?.const;
  if (typeof method !== 'string') throw new Error('a wire request option without a method literal');
  return method;
}

function requests(dialect: 'v1.0.2' | 'v1.0.3', union: { options: readonly z.ZodType[] }, defs: JsonSchema) {
  const names: string[] = [];
  for (const option of union.options) {
    const name = `Request${dialectName(dialect)}${pascal(methodOf(option))}`;
    defs[name] = { description: `A ${methodOf(option)} request frame, ${dialect}.`, ...convert(option) };
    names.push(name);
  }
  defs[`Request${dialectName(dialect)}`] = {
    description: `Any request a worker sends on the API WebSocket, ${dialect}.`,
    anyOf: names.map(ref),
  };
}

/** The whole document: every request, response, error, event and REST body, in `$defs`. */
export function buildJsonSchema(): JsonSchema {
  const defs: JsonSchema = {};
  requests('v1.0.2', WireRequestV102, defs);
  requests('v1.0.3', WireRequestV103, defs);

  defs['Response'] = {
    description: 'A response to a request: {"E": null, "r": ..., "i": id}.',
    ...convert(WireResponse),
  };
  defs['Error'] = {
    description: 'An error answer: {"E": {"c": code, "m": message}, "i": id or null}.',
    ...convert(WireError),
  };
  defs['QueuePopEvent'] = {
    description: 'A message from a queue topic the worker pops.',
    ...convert(WireQueueEvent),
  };
  defs['OtherEvent'] = {
    description: 'An event other than queue.pop, passed on as it came.',
    ...convert(WireOtherEvent),
  };
  defs['Pong'] = {
    description:
      "v1.0.3: the engine's reply to the text frame ping, a text frame that is not JSON (validate the frame's text as a JSON string).",
    const: 'pong',
  };
  defs['Ping'] = {
    description:
      'v1.0.3: the text heartbeat a worker sends instead of server.ping (not JSON; validate its text as a JSON string).',
    const: 'ping',
  };
  defs['Frame'] = {
    description:
      'Any frame the engine sends a worker, in either dialect: the parsed JSON of a text frame, or the text itself (as a JSON string) of one that is not JSON.',
    anyOf: ['QueuePopEvent', 'OtherEvent', 'Error', 'Response', 'Pong'].map(ref),
  };

  for (const method of METHODS) {
    defs[`Result${pascal(method)}`] = {
      description: `The r of a ${method} response, in either dialect.`,
      ...convert(MethodResultSchemas[method]),
    };
  }

  const restBody = (target: z.ZodType) => z.object({ c: target, d: z.string(), t: MessageType.optional() });
  defs['RestSendBody'] = {
    description:
      'The body of POST /v1/mesh/send (v1.0.3): c the client id, d the data (base64 when t is binary).',
    ...convert(restBody(ClientId)),
  };
  defs['RestPublishBody'] = {
    description:
      'The body of POST /v1/mesh/publish (v1.0.3): c the channel, d the data (base64 when t is binary).',
    ...convert(restBody(Channel)),
  };
  const answerError = z.object({ E: z.object({ c: z.int(), m: z.string().optional() }) });
  defs['RestAnswer'] = {
    description: 'The JSON answer of POST /v1/mesh/send and /v1/mesh/publish.',
    anyOf: [
      {
        type: 'object',
        required: ['E', 'r'],
        properties: { E: { type: 'null' }, r: { anyOf: [ref('ResultMeshSend'), ref('ResultMeshPublish')] } },
      },
      convert(answerError),
    ],
  };

  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: JSON_SCHEMA_ID,
    title: 'connmix engine API',
    description:
      'Requests, responses, errors and events of the connmix engine API WebSocket (dialects v1.0.2 and v1.0.3) and the bodies of its v1.0.3 REST endpoints. Generated from the zod schemas of @connmix/core.',
    $defs: defs,
  };
}
