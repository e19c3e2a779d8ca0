// Grants waiting for the browser to come back to the extension's own URI
// (`vscode://courier.courier-http/oauth/callback`): the URI handler hands each arrival to the wait
// for its path, or keeps it a minute for a wait that starts just after (a browser already signed in
// can be back before `openExternal` has answered). Free of `vscode`.

/** A redirect that arrived before anyone waited for it is kept this long. */
export const unclaimedForMs = 60_000;

/** Whether `redirectUrl` is this editor's URI for the extension (`scheme` is `vscode.env.uriScheme`). */
export function isOwnRedirect(redirectUrl: URL, scheme: string, extensionId: string): boolean {
  // Hosts of non-special schemes keep their case in `URL`; VS Code compares authorities without it.
  return redirectUrl.protocol === `${scheme.toLowerCase()}:` && redirectUrl.host.toLowerCase() === extensionId.toLowerCase();
}

interface Waiter {
  readonly path: string;
  readonly resolve: (url: URL) => void;
}

export class RedirectWaits {
  private readonly waiters = new Set<Waiter>();
  private readonly unclaimed: { readonly url: URL; readonly at: number }[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** The first redirect to `path`, one that just arrived included; rejects with an `AbortError` when `signal` aborts first. */
  wait(path: string, signal: AbortSignal): Promise<URL> {
    this.forgetStale();
    const early = this.unclaimed.findIndex((candidate) => candidate.url.pathname === path);
    const arrived = early < 0 ? undefined : this.unclaimed.splice(early, 1)[0];
    if (arrived !== undefined) return Promise.resolve(arrived.url);
    return new Promise<URL>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiters.delete(waiter);
        const error = new Error('the wait for the browser ended');
        error.name = 'AbortError';
        reject(error);
      };
      const waiter: Waiter = {
        path,
        resolve: (url) => {
          signal.removeEventListener('abort', onAbort);
          resolve(url);
        },
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
    });
  }

  /** The browser came back to `url`: the wait for its path gets it, else it is kept for a moment. */
  arrived(url: URL): void {
    const waiter = [...this.waiters].find((candidate) => candidate.path === url.pathname);
    if (waiter === undefined) {
      this.forgetStale();
      this.unclaimed.push({ url, at: this.now() });
      return;
    }
    this.waiters.delete(waiter);
    waiter.resolve(url);
  }

  private forgetStale(): void {
    const now = this.now();
    while (this.unclaimed.length > 0 && now - (this.unclaimed[0]?.at ?? now) >= unclaimedForMs) this.unclaimed.shift();
  }
}
