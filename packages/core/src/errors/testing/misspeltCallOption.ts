import { ValidationError } from '../errors.ts';

// What the call-option strictness tests of the client, the cluster and the REST client share: one
// misspelt key, the issue it must be refused with, and how to read that refusal.

/** A call option spelt wrong (`timeoutMS` for `timeoutMs`), typed to pass as any call's options. */
export const MISSPELT_CALL_OPTIONS = { timeoutMS: 5 } as never;

/** A client id in the engine's form. */
export const SOME_CLIENT_ID = '1627581697287520263';

/** The one issue a call given `MISSPELT_CALL_OPTIONS` fails with. */
export const MISSPELT_CALL_OPTION_ISSUE = {
  path: ['timeoutMS'],
  message: 'a call takes no option timeoutMS (it takes signal, timeoutMs)',
};

/** The `ValidationError` that `run` rejects with; anything else (a result, another error) throws. */
export async function validationErrorOf(run: () => Promise<unknown>): Promise<ValidationError> {
  const outcome = await run().then(
    () => 'a result',
    (reason: unknown) => reason,
  );
  if (outcome instanceof ValidationError) return outcome;
  throw new Error(`expected a ValidationError, got ${String(outcome)}`);
}
