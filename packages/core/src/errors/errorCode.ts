/** Error codes the engine documents. A code outside this list is kept as the server sent it. */
export const ErrorCode = {
  InvalidParams: 101,
  ConsumeFailed: 201,
  DuplicateConsume: 202,
  UnpopFailed: 203,
  CallFailed: 301,
  SendFailed: 401,
} as const;

/** A known code, or any other integer the engine may send (open, as viem types RPC codes). */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode] | (number & {});
