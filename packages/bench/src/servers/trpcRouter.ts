import { initTRPC } from '@trpc/server';

const t = initTRPC.create();

/** One mutation, answered at once: tRPC's counterpart of `mesh.publish`. */
export const router = t.router({
  publish: t.procedure
    .input((value) => value as { channel: string; data: string })
    .mutation(() => ({ success: 1, fail: 0, total: 1 })),
});

export type BenchRouter = typeof router;
