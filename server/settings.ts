// Courier's settings as the server sees them, each with a normaliser that falls back to a safe
// default, so a hand-edited settings.json can never break the server.

/** The `courier.*` settings the language server uses. */
export interface ServerSettings {
  /** `courier.environment`: the active environment name, or undefined for none. */
  readonly environment: string | undefined;
}

export const defaultSettings: ServerSettings = Object.freeze({ environment: undefined });

/** Reads `courier` settings from whatever the client returned for the section. */
export function normalizeSettings(raw: unknown): ServerSettings {
  if (typeof raw !== 'object' || raw === null) return defaultSettings;
  const environment = (raw as { readonly environment?: unknown }).environment;
  return { environment: typeof environment === 'string' && environment.trim() !== '' ? environment.trim() : undefined };
}
