import { describe, expect, it } from 'vitest';
import {
  MISSPELT_CALL_OPTION_ISSUE as ISSUE,
  MISSPELT_CALL_OPTIONS as misspelt,
  SOME_CLIENT_ID as CID,
  validationErrorOf,
} from '../errors/testing/misspeltCallOption.ts';
import { createRestClient } from './restClient.ts';

// The REST client's call options are as strict as the WebSocket client's.

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
    expect((await validationErrorOf(run)).issues).toEqual([ISSUE]);
    expect(fetched).toBe(0);
  });
});
