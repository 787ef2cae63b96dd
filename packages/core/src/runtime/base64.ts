// Binary `mesh.*` data travels as standard base64. `btoa` exists in every runtime the SDK
// targets (browsers, workers, Node >= 16, Deno, Bun) but not in the ES2022 typings the core
// compiles against, hence the structural type; it takes a binary string, built in chunks so a
// large payload cannot overflow the call stack.

const CHUNK = 0x8000;

/** Standard base64 (RFC 4648 section 4) with `=` padding. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return (globalThis as unknown as { btoa(data: string): string }).btoa(binary);
}
