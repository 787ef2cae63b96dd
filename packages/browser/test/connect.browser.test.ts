import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnmixError, connect } from '../src/index.ts';

describe('connect', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('rejects, rather than throws, where the runtime has no WebSocket', async () => {
    vi.stubGlobal('WebSocket', undefined);
    const connecting = connect('ws://127.0.0.1:9/ws/v1');
    expect(connecting).toBeInstanceOf(Promise);
    await expect(connecting).rejects.toBeInstanceOf(ConnmixError);
    await expect(connecting).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ConnmixError: no global WebSocket here: use @connmix/node, or browserTransport({ WebSocket })]`,
    );
  });
});
