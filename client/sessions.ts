// One engine `Session` per environment, so connections and cookies are shared by every request
// sent with that environment and never leak into another. Cookie jars live in the extension's
// global storage (one file per environment) when `courier.rememberCookies` is on. Script globals
// (`client.global`) live in the same session, in memory only. The "Sessions" view lists each
// environment's cookies and globals.
import { mkdir, readdir } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { scriptGlobals } from '../engine/scripts/requestScripts';
import { Session, type SessionOptions, type StoredCookie } from '../engine/session';
import type { Settings } from './settings';

const jarPrefix = 'cookies-';
const noEnvironmentJar = 'cookies.json';

/** The jar file name of an environment; undefined is "no environment". */
export function jarFileName(environment: string | undefined): string {
  return environment === undefined ? noEnvironmentJar : `${jarPrefix}${encodeURIComponent(environment)}.json`;
}

/** The environment a jar file belongs to, or null when the file is not a jar. */
export function environmentOfJar(fileName: string): string | undefined | null {
  if (fileName === noEnvironmentJar) return undefined;
  if (!fileName.startsWith(jarPrefix) || !fileName.endsWith('.json')) return null;
  try {
    return decodeURIComponent(fileName.slice(jarPrefix.length, -'.json'.length));
  } catch {
    return null;
  }
}

/** Label of an environment in messages and views. */
export function environmentLabel(environment: string | undefined): string {
  return environment ?? 'no environment';
}

/** Opens sessions on demand, one per environment; settings changes open fresh ones for later requests. */
export class Sessions implements vscode.Disposable {
  private readonly open = new Map<string, Promise<Session>>();
  /** Sessions replaced after a settings change: kept until disposal, since panels may still show their large bodies. */
  private readonly retired: Promise<Session>[] = [];
  /** Script globals of sessions retired by a settings change, by environment key: the next session of that environment takes them. */
  private readonly carriedGlobals = new Map<string, Promise<ReadonlyMap<string, string>>>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when cookies may have changed (a request ended, a jar was cleared). */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly storageFolder: string,
    private readonly settings: Settings,
  ) {
    this.subscription = settings.onDidChange(() => this.retireAll());
  }

  /** The session of `environment`; rejects with a message naming the setting when one is unusable. */
  session(environment: string | undefined): Promise<Session> {
    const key = environment ?? '';
    let session = this.open.get(key);
    if (session === undefined) {
      session = this.openSession(environment);
      this.open.set(key, session);
      // A failed open is not cached: the user fixes the setting and tries again.
      session.catch(() => {
        if (this.open.get(key) === session) this.open.delete(key);
      });
    }
    return session;
  }

  private async openSession(environment: string | undefined): Promise<Session> {
    const settings = this.settings.value;
    let cookieJarFile: string | undefined;
    if (settings.rememberCookies) {
      await mkdir(this.storageFolder, { recursive: true });
      cookieJarFile = path.join(this.storageFolder, jarFileName(environment));
    }
    const options: SessionOptions = {
      caFiles: settings.caFiles,
      clientCertificates: settings.clientCertificates,
      insecureHosts: settings.insecureHosts,
      proxy: settings.proxy,
      cookieJarFile,
      maxInMemoryBodyBytes: Math.min(settings.responsePanelMaxBodyBytes, 8 * 1024 * 1024),
    };
    try {
      const session = await Session.open(options);
      const key = environment ?? '';
      const carried = this.carriedGlobals.get(key);
      if (carried !== undefined) {
        this.carriedGlobals.delete(key);
        // A settings change must not lose a login's token: globals outlive the session they were set in.
        const globals = session.state.get(scriptGlobals);
        for (const [name, value] of await carried) if (!globals.has(name)) globals.set(name, value);
      }
      for (const warning of session.warnings) void vscode.window.showWarningMessage(`Courier (${environmentLabel(environment)}): ${warning}`);
      return session;
    } catch (error) {
      throw new Error(`cannot open a session for ${environmentLabel(environment)}: ${error instanceof Error ? error.message : String(error)} (check the courier.caFiles, courier.clientCertificates and courier.proxy settings)`, { cause: error });
    }
  }

  /** Environments that have cookies to show: the open sessions' and those with a jar on disk. */
  async environments(): Promise<(string | undefined)[]> {
    const found = new Set<string | undefined>([...this.open.keys()].map((key) => (key === '' ? undefined : key)));
    try {
      for (const name of await readdir(this.storageFolder)) {
        const environment = environmentOfJar(name);
        if (environment !== null) found.add(environment);
      }
    } catch {
      // No storage folder yet: nothing was persisted.
    }
    return [...found].sort((a, b) => (a ?? '').localeCompare(b ?? ''));
  }

  async cookies(environment: string | undefined): Promise<readonly StoredCookie[]> {
    return (await this.session(environment)).cookies.list();
  }

  async clear(environment: string | undefined): Promise<void> {
    await (await this.session(environment)).cookies.clear();
    this.changed.fire();
  }

  /** The environment's script globals, by name, in the order they were set. */
  async globals(environment: string | undefined): Promise<readonly (readonly [name: string, value: string])[]> {
    return [...(await this.session(environment)).state.get(scriptGlobals)];
  }

  /** Forgets the environment's script globals; resolves to how many there were. */
  async clearGlobals(environment: string | undefined): Promise<number> {
    const globals = (await this.session(environment)).state.get(scriptGlobals);
    const count = globals.size;
    globals.clear();
    this.carriedGlobals.delete(environment ?? '');
    this.changed.fire();
    return count;
  }

  async clearDomain(environment: string | undefined, domain: string): Promise<number> {
    const removed = await (await this.session(environment)).cookies.clearDomain(domain);
    this.changed.fire();
    return removed;
  }

  /** Tells the Sessions view that a request may have stored cookies. */
  notifyChanged(): void {
    this.changed.fire();
  }

  private retireAll(): void {
    for (const [key, session] of this.open) {
      this.carriedGlobals.set(key, session.then((retired) => new Map(retired.state.get(scriptGlobals)), () => new Map<string, string>()));
    }
    this.retired.push(...this.open.values());
    this.open.clear();
    this.changed.fire();
  }

  /** Closes every session: connections end and temp files of large bodies are deleted. */
  async close(): Promise<void> {
    const all = [...this.open.values(), ...this.retired];
    this.open.clear();
    this.retired.length = 0;
    await Promise.allSettled(all.map(async (session) => (await session).close()));
  }

  dispose(): void {
    void this.close();
    this.subscription.dispose();
    this.changed.dispose();
  }
}

type SessionNode =
  | { readonly kind: 'environment'; readonly environment: string | undefined }
  | { readonly kind: 'cookie'; readonly environment: string | undefined; readonly cookie: StoredCookie }
  | { readonly kind: 'global'; readonly environment: string | undefined; readonly name: string; readonly value: string };

/** Values longer than this are cut in the view; the tooltip has the whole value. */
const shownValueLength = 60;

/** The "Sessions" view: environments, and under each its cookies and script globals. */
export class SessionsTree implements vscode.TreeDataProvider<SessionNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SessionNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly sessions: Sessions) {
    this.subscription = sessions.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(node: SessionNode): vscode.TreeItem {
    if (node.kind === 'environment') {
      const item = new vscode.TreeItem(environmentLabel(node.environment), vscode.TreeItemCollapsibleState.Expanded);
      item.contextValue = 'courier.sessionEnvironment';
      item.iconPath = new vscode.ThemeIcon('globe');
      return item;
    }
    if (node.kind === 'global') {
      const shown = node.value.length > shownValueLength ? `${node.value.slice(0, shownValueLength)}…` : node.value;
      const item = new vscode.TreeItem(`${node.name} = ${shown}`, vscode.TreeItemCollapsibleState.None);
      item.description = 'script global';
      item.tooltip = `{{${node.name}}}, set by client.global.set in a script of this session (${node.value.length} characters); never written to disk`;
      item.contextValue = 'courier.scriptGlobal';
      item.iconPath = new vscode.ThemeIcon('symbol-variable');
      return item;
    }
    const { cookie } = node;
    const item = new vscode.TreeItem(`${cookie.name}=${cookie.value}`, vscode.TreeItemCollapsibleState.None);
    item.description = `${cookie.domain}${cookie.path}`;
    item.tooltip = [
      `${cookie.name} for ${cookie.domain}${cookie.path}`,
      cookie.expires === undefined ? 'session cookie' : `expires ${cookie.expires}`,
      [cookie.secure ? 'Secure' : '', cookie.httpOnly ? 'HttpOnly' : '', cookie.sameSite === undefined ? '' : `SameSite=${cookie.sameSite}`].filter(Boolean).join(' '),
    ].join('\n');
    item.contextValue = 'courier.cookie';
    item.iconPath = new vscode.ThemeIcon('key');
    return item;
  }

  async getChildren(node?: SessionNode): Promise<SessionNode[]> {
    if (node === undefined) return (await this.sessions.environments()).map((environment) => ({ kind: 'environment', environment }));
    if (node.kind !== 'environment') return [];
    try {
      const cookies = await this.sessions.cookies(node.environment);
      const globals = await this.sessions.globals(node.environment);
      return [
        ...cookies.map((cookie): SessionNode => ({ kind: 'cookie', environment: node.environment, cookie })),
        ...globals.map(([name, value]): SessionNode => ({ kind: 'global', environment: node.environment, name, value })),
      ];
    } catch (error) {
      void vscode.window.showErrorMessage(`Courier: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  /** The view as a person reads it: each environment's label and its items' labels. */
  async labels(): Promise<{ readonly environment: string; readonly items: readonly string[] }[]> {
    const environments = await this.getChildren();
    const labelOf = (node: SessionNode): string => {
      const label = this.getTreeItem(node).label;
      return typeof label === 'string' ? label : (label?.label ?? '');
    };
    return Promise.all(environments.map(async (node) => ({ environment: labelOf(node), items: (await this.getChildren(node)).map(labelOf) })));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export type { SessionNode };
