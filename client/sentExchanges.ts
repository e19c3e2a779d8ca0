// What a send resolves to. `courier.sendRequest` returns the exchanges it sent, so callers in the
// extension host (tests, other extensions) can inspect them; a caller in another process gets the
// value through JSON. Free of `vscode`: unit-tested in Node.
import type { Exchange } from '../engine/model';

/**
 * The exchanges a send resolves to. In the extension host they are the engine's exchanges; a caller in
 * another process (the workbench, when a CodeLens is clicked) gets them through JSON, and there they
 * become summaries: serialising a body's bytes (megabytes as a JSON array of numbers) blocked the
 * extension host for seconds after every large response.
 */
export function sentExchanges(exchanges: readonly Exchange[]): readonly Exchange[] {
  const summaries = (): ExchangeSummary[] =>
    exchanges.map((exchange) => ({
      method: exchange.request.method,
      url: exchange.request.url,
      status: exchange.response?.status,
      bodyBytes: exchange.response?.body.size,
      error: exchange.error,
    }));
  return Object.defineProperty([...exchanges], 'toJSON', { value: summaries, enumerable: false });
}

/** What a sent exchange becomes when it leaves the extension host. */
export interface ExchangeSummary {
  readonly method: string;
  readonly url: string;
  readonly status: number | undefined;
  readonly bodyBytes: number | undefined;
  readonly error: Exchange['error'];
}
