// V8 settings of the language server's own process (never of the extension host or the CLI),
// applied by server.ts before the server reads its first message.
//
// A fresh server parses and checks a large file mostly before V8 has optimised the parser: with
// V8's default inlining budget (920 bytes of bytecode inlined into one function), optimising
// `parseRequest` alone took about 200 ms on a compiler thread, and the compiler threads used more
// CPU than the main thread during the open of the 20,000-request file (about 190 ms against 130).
// On a small machine they take a core from the main thread, and the optimised code arrives when
// the parse is nearly done. With a smaller budget it compiles sooner and costs less: the open's
// CPU time fell from 340-360 ms to 290-300 (all threads; `lsp` in `npm run bench`), for about 2 ms
// more of a warm parse and 4 of a warm check.

import { setFlagsFromString } from 'node:v8';

/** What `applyServerV8Flags` sets; V8 reports a flag it does not know on stderr, never on stdout (the LSP stream). */
export const serverV8Flags: readonly string[] = ['--max-inlined-bytecode-size-cumulative=200'];

/** Sets `serverV8Flags`; call before any code has run hot enough to be optimised. */
export function applyServerV8Flags(): void {
  for (const flag of serverV8Flags) setFlagsFromString(flag);
}
