import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/errors.ts';
import { createRestClient } from './restClient.ts';

// The REST client's call options are as strict as the WebSocket client's.
const misspelt = { timeoutMS: 5 } as never;
const CID = '1627581697287520263';
const ISSUE = {
  path: ['timeoutMS'],
  message: 'a call takes no option timeoutMS (it takes signal, timeoutMs)',
};

async function issuesOf(run: () => Promise<unknown>): Promise<unknown> {
  const error = await run().then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).issues;
}

describe('REST call options refuse keys they do not know', () => {
  let fetched = 0;
  const rest = createRestClient({
    url: 'http://127.0.0.1:6789',
    fetch: async () => {
      fetched += 1;
      throw new Error('not reached');
    },
  });

  it.each([
    ['send', () => rest.send(CID, 'hi', misspelt)],
    ['publish', () => rest.publish('room1', 'hi', misspelt)],
  ])('%s', async (_, run) => {
    expect(await issuesOf(run)).toEqual([ISSUE]);
    expect(fetched).toBe(0);
  });
});
