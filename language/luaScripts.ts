// kulala's Lua scripts (`< {% -- lua ... %}`): recognised, so they are reported and skipped
// rather than run as JavaScript that cannot parse. Its own module: the engine asks without loading
// the script scanner.

/** Whether a script is one of kulala's Lua scripts: its first line of text is `-- lua`. */
export function isLuaScript(source: string): boolean {
  return /^\s*--\s*lua\b/i.test(source);
}
