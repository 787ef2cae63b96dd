// What zod would cost a browser bundle: the schemas a client needs (`Incoming` and
// `OutgoingRequest`) bundled with zod classic, as `@connmix/core/schema` defines them, and with
// zod/mini, as a faithful port of the same schemas. Both are bundled like size-limit does
// (esbuild, browser, minified ESM) and gzipped at level 9; the two flavours are then run on the
// same samples to show they accept and reject alike, and timed on a queue event.
//
//   node scripts/measure-zod.mjs
//
// The client itself does not use zod (the codec has its own decoder and validator); these
// figures are what a change that brought zod back into the client would add.
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(import.meta.dirname, '..');
const core = join(root, 'packages', 'core');

/** The schemas of packages/core/src/schema, with zod/mini's functional API. */
const miniPort = `
import * as z from 'zod/mini';
import { CHANNEL_PATTERN, CLIENT_ID_PATTERN, MESSAGES } from ${JSON.stringify(join(core, 'src/grammar/fields.ts'))};
import { connCallArgsIssue } from ${JSON.stringify(join(core, 'src/grammar/callArgs.ts'))};

const RequestId = z.int().check(z.nonnegative());
const ClientId = z.string().check(z.regex(CLIENT_ID_PATTERN, { error: MESSAGES.clientId }));
const NodeId = z.string();
const Topic = z.string().check(z.minLength(1, { error: MESSAGES.topic }));
const Channel = z.string().check(z.regex(CHANNEL_PATTERN, { error: MESSAGES.channel }));
const MessageType = z.enum(['text', 'binary']);

const ServerPingRequest = z.object({ method: z.literal('server.ping') });
const QueuePopRequest = z.object({
  method: z.literal('queue.pop'),
  topics: z.array(Topic).check(z.minLength(1, { error: MESSAGES.topics })),
});
const QueueUnpopRequest = z.object({ method: z.literal('queue.unpop') });
const ConnCallRequest = z
  .object({
    method: z.literal('conn.call'),
    clientId: ClientId,
    func: z.string().check(z.minLength(1, { error: MESSAGES.func })),
    args: z.array(z.unknown()),
  })
  .check(
    z.superRefine((request, ctx) => {
      const issue = connCallArgsIssue(request.func, request.args);
      if (issue) ctx.addIssue({ code: 'custom', path: ['args', ...issue.path], message: issue.message });
    }),
  );
const MeshSendRequest = z.object({
  method: z.literal('mesh.send'),
  clientId: ClientId,
  data: z.string(),
  type: z.optional(MessageType),
});
const MeshPublishRequest = z.object({
  method: z.literal('mesh.publish'),
  channel: Channel,
  data: z.string(),
  type: z.optional(MessageType),
});
export const OutgoingRequest = z.discriminatedUnion('method', [
  ServerPingRequest,
  QueuePopRequest,
  QueueUnpopRequest,
  ConnCallRequest,
  MeshSendRequest,
  MeshPublishRequest,
]);

const QueueMessageData = z.object({
  node: z.optional(NodeId),
  clientId: ClientId,
  topic: z.string(),
  data: z.unknown(),
});
export const Incoming = z.union([
  z.object({ kind: z.literal('response'), id: RequestId, result: z.unknown() }),
  z.object({ kind: z.literal('error'), id: z.nullable(RequestId), code: z.int(), message: z.string() }),
  z.object({ kind: z.literal('event'), event: z.literal('queue.pop'), message: QueueMessageData }),
  z.object({ kind: z.literal('event'), event: z.string(), payload: z.unknown() }),
  z.object({ kind: z.literal('pong') }),
]);
`;

const classic = `export { Incoming, OutgoingRequest } from '@connmix/core/schema';`;

const samples = {
  Incoming: [
    { kind: 'response', id: 7, result: { s: true } },
    { kind: 'error', id: null, code: 202, message: 'duplicate' },
    {
      kind: 'event',
      event: 'queue.pop',
      message: { clientId: '1627581697287520263', topic: 'foo', data: { ctx: [], msg: 'hi' } },
    },
    { kind: 'event', event: 'queue.pop', message: { clientId: 12, topic: 'foo', data: 1 } },
    { kind: 'event', event: 'node.join', payload: { id: 'n2' } },
    { kind: 'pong' },
    { kind: 'response', id: -1, result: null },
    { kind: 'nope' },
  ],
  OutgoingRequest: [
    { method: 'queue.pop', topics: ['foo', 'bar'] },
    { method: 'queue.pop', topics: [] },
    { method: 'conn.call', clientId: '1463819408261513216', func: 'subscribe', args: ['room1'] },
    { method: 'conn.call', clientId: '1463819408261513216', func: 'subscribe', args: ['has space'] },
    { method: 'conn.call', clientId: 'abc', func: 'set_context', args: [{}] },
    { method: 'mesh.publish', channel: 'room1', data: 'hi', type: 'text' },
    { method: 'mesh.send', clientId: '1', data: 'x', type: 'video' },
    { method: 'server.ping' },
  ],
};

const esbuild = await loadEsbuild();
const rows = [];
const codec = await bundle(
  `export { createCodec } from '@connmix/core';`,
  join(root, 'packages', 'browser'),
  {
    platform: 'browser',
    minify: true,
  },
);
const flavours = {};
for (const [name, contents, resolveDir] of [
  ['zod (classic), as @connmix/core/schema', classic, join(root, 'packages', 'browser')],
  ['zod/mini, the same schemas ported', miniPort, core],
]) {
  const browser = await bundle(contents, resolveDir, { platform: 'browser', minify: true });
  rows.push([name, browser.length, gzipSync(browser, { level: 9 }).length]);
  const forNode = await bundle(contents, resolveDir, { platform: 'node', minify: false });
  flavours[name] = await import(`data:text/javascript;base64,${Buffer.from(forNode).toString('base64')}`);
}

console.log('Incoming + OutgoingRequest, bundled for a browser (esbuild, minified ESM):\n');
console.log('| flavour | minified | min+gzip |\n|---|---:|---:|');
for (const [name, size, gzip] of rows) console.log(`| ${name} | ${kib(size)} | ${kib(gzip)} |`);
console.log(
  `| for comparison: the codec the client uses (createCodec: hand-written decoder and validator, errors) | ${kib(codec.length)} | ${kib(gzipSync(codec, { level: 9 }).length)} |`,
);

const [classicSchemas, miniSchemas] = Object.values(flavours);
let disagreements = 0;
for (const [schema, values] of Object.entries(samples)) {
  for (const value of values) {
    const a = classicSchemas[schema].safeParse(value);
    const b = miniSchemas[schema].safeParse(value);
    const same = a.success === b.success && JSON.stringify(a.data) === JSON.stringify(b.data);
    if (!same) {
      disagreements++;
      console.error(`the flavours disagree on ${schema} ${JSON.stringify(value)}`);
    }
  }
}
const total = samples.Incoming.length + samples.OutgoingRequest.length;
console.log(`\nThe two flavours agree on ${total - disagreements} of ${total} samples.`);

const event = samples.Incoming[2];
console.log('\nValidating one queue event (Incoming.parse), after warm-up:\n');
console.log('| flavour | parses/s |\n|---|---:|');
for (const [name, schemas] of Object.entries(flavours))
  console.log(`| ${name} | ${rate(() => schemas.Incoming.parse(event))} |`);
if (disagreements > 0) process.exit(1);

async function bundle(contents, resolveDir, { platform, minify }) {
  const result = await esbuild.build({
    stdin: { contents, resolveDir, loader: 'ts', sourcefile: 'measure.ts' },
    bundle: true,
    platform,
    format: 'esm',
    minify,
    write: false,
    conditions: ['@connmix/source'],
    logLevel: 'error',
  });
  return result.outputFiles[0].text;
}

/** The esbuild that size-limit uses (it is not a direct dependency of the repository). */
async function loadEsbuild() {
  const fromRoot = createRequire(join(root, 'package.json'));
  const preset = createRequire(fromRoot.resolve('@size-limit/preset-small-lib'));
  const plugin = createRequire(preset.resolve('@size-limit/esbuild'));
  const module = await import(pathToFileURL(plugin.resolve('esbuild')).href);
  return module.default ?? module;
}

function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB (${bytes} B)`;
}

function rate(fn) {
  for (let i = 0; i < 20_000; i++) fn();
  const rounds = 200_000;
  const start = performance.now();
  for (let i = 0; i < rounds; i++) fn();
  const perSecond = rounds / ((performance.now() - start) / 1000);
  return `${Math.round(perSecond / 1000)}k`;
}
