/**
 * A Lua string that is not valid UTF-8 (a binary frame, a `sha1_bin` digest) as it crosses into
 * JS: the bytes are kept, so the string goes back to Lua unchanged. In JSON it becomes text with
 * U+FFFD for each bad byte, as Go's encoder writes it.
 */
export class LuaBytes extends Uint8Array {
  toJSON(): string {
    return Buffer.from(this.buffer, this.byteOffset, this.byteLength).toString('utf8');
  }
}
