import {
  ConnmixError,
  ErrorCode,
  ServerError,
  ValidationError,
  type Cluster,
  type SuccessResult,
} from '@connmix/node';
import type { CommandIo } from '../io.ts';
import { CONNECTION_USAGE } from '../shared/commandLine.ts';
import { assertEncodable } from '../shared/messageData.ts';
import { runCommand, type Command } from '../shared/runCommand.ts';
import { settledNodes } from '../shared/target.ts';

export const CALL_USAGE = `Usage: connmix call <clientId> <func> [args-json] (--url URL | --center URL) [options]

Runs a conn.call function on an end-user connection and prints { success }
(exit code 1 when it is false). args-json is a JSON array, default [].

  connmix call 1627581697287520263 set_context_value '["uid", 10001]' --url ...
  connmix call 1627581697287520263 subscribe '["room1", "room2"]' --url ...

A call runs only on the engine that holds the connection. With --center, give
that engine with --node, or each engine is tried in turn until one holds it.

Options:
      --node <id>        the engine of the cluster that holds the connection

${CONNECTION_USAGE}`;

const call: Command<Record<never, never>> = {
  name: 'call',
  usage: CALL_USAGE,
  flags: {},
  node: true,
  positionals: { min: 2, max: 3, synopsis: '<clientId> <func> [args-json]' },
  async run({ open, connection, positionals, signal, print }) {
    // The client id stays the string it was typed as: a 64-bit id is not a JS number.
    const [clientId = '', func = '', argsJson] = positionals;
    const args = parseCallArgs(argsJson);
    assertEncodable(connection.dialect, { method: 'conn.call', clientId, func, args });
    const target = await open();
    const options = { signal, timeoutMs: connection.timeoutMs };
    const { success } =
      target.kind === 'engine'
        ? await target.client.call(clientId, func, args, options)
        : connection.node !== undefined
          ? await target.cluster.call(clientId, func, args, { ...options, node: connection.node })
          : await callOnEachEngine(target.cluster, { clientId, func, args }, options);
    print({ success }, `success=${success}`);
    return success ? 0 : 1;
  },
};

/**
 * A cluster routes `conn.call` by the messages it has seen, and a fresh one has seen none: try the
 * open engines in turn. An engine that does not hold the connection refuses the call (301) without
 * running it; any other error ends the search.
 */
async function callOnEachEngine(
  cluster: Cluster,
  request: { clientId: string; func: string; args: unknown[] },
  options: { signal: AbortSignal; timeoutMs: number },
): Promise<SuccessResult> {
  const nodes = await settledNodes(cluster, options.timeoutMs, options.signal);
  let outcome: { result: SuccessResult } | { error: unknown } | undefined;
  for (const { id, state } of nodes) {
    if (state !== 'open') continue;
    try {
      const result = await cluster.call(request.clientId, request.func, request.args, {
        ...options,
        node: id,
      });
      outcome = { result };
      if (result.success) break;
    } catch (error) {
      outcome = { error };
      if (!(error instanceof ServerError && error.code === ErrorCode.CallFailed)) break;
    }
  }
  if (outcome === undefined) {
    throw new ConnmixError('conn.call cannot run: no engine of the cluster is open');
  }
  if ('error' in outcome) throw outcome.error;
  return outcome.result;
}

/** `args-json` as an array; a number JSON would round (a 64-bit id) is refused, not sent wrong. */
function parseCallArgs(text: string | undefined): unknown[] {
  if (text === undefined) return [];
  const refuse = (message: string) =>
    new ValidationError('conn.call arguments', [{ path: ['args'], message }]);
  let args: unknown;
  try {
    args = JSON.parse(text);
  } catch (error) {
    throw refuse(
      `args-json is not valid JSON (${(error as Error).message}); give an array such as '["uid", 10001]'`,
    );
  }
  if (!Array.isArray(args)) throw refuse(`args-json is a JSON array, such as '["uid", 10001]'`);
  const unsafe = unsafeInteger(text);
  if (unsafe !== undefined) {
    throw refuse(
      `the integer ${unsafe} is beyond 2^53 and would not arrive exactly as a JSON number; quote it ("${unsafe}")`,
    );
  }
  return args;
}

/** The first integer literal of a JSON text (outside its strings) that a double cannot hold exactly. */
function unsafeInteger(json: string): string | undefined {
  const outsideStrings = json.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const [literal] of outsideStrings.matchAll(/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g)) {
    if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(Number(literal))) return literal;
  }
  return undefined;
}

/**
 * `connmix call <clientId> <func> [args-json]`: runs a `conn.call` function, printing `{ success }`.
 * Resolves with the exit code.
 */
export function runCall(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommand(call, argv, io);
}
