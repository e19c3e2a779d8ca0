/* eslint-disable @typescript-eslint/no-namespace -- one namespace per message, as vscode-eslint does, so method and types travel together */
// Courier's own LSP messages, declared once and imported by both the server and the client.
// Each namespace holds the method name and the message types; the comment says which way it flows.
// Only types are imported: the server and the client bundle different vscode-jsonrpc versions,
// whose RequestType classes do not mix, so each side passes `method` with these types as generics.

import type { Position } from 'vscode-languageserver-types';

/** The request at a position: what "Send Request" sends. */
export namespace RequestAtRequest {
  /** Client -> server. */
  export const method = 'courier/requestAt';
  export interface Params {
    readonly uri: string;
    readonly position: Position;
  }
  export interface Result {
    readonly uri: string;
    /** 0-based line of the request line. */
    readonly line: number;
    readonly name: string | undefined;
    readonly method: string;
    readonly target: string;
  }
}

/** The environments visible from a document, for the environment picker. */
export namespace EnvironmentsRequest {
  /** Client -> server. */
  export const method = 'courier/environments';
  export interface Params {
    readonly uri: string;
  }
  export interface Result {
    /** Environment names in file order, without `$shared`. */
    readonly names: readonly string[];
    /** Uris of the env files read for this document, public first. */
    readonly files: readonly string[];
    /** The environment in use, if any. */
    readonly active: string | undefined;
  }
}

/** Chooses the active environment; overrides the `courier.environment` setting until sent again. */
export namespace SetEnvironmentNotification {
  /** Client -> server. */
  export const method = 'courier/setEnvironment';
  export interface Params {
    /** An environment name, or null for none (every environment's variables count as defined). */
    readonly name: string | null;
  }
}
