// Which requests go through a proxy, and the CONNECT tunnel for https targets.
// Plain http targets are sent to the proxy in absolute form by the session; https targets
// get a tunnel here so TLS (and its verification) stays end to end.
import { type Socket } from 'node:net';
import { EngineFailure } from './errors';
import { hostMatcher } from './tls';

/** A proxy in use: where it is and how to authenticate to it. */
export interface Proxy {
  readonly url: URL;
  readonly host: string;
  readonly port: number;
  /** `Proxy-Authorization` value from credentials in the proxy URL. */
  readonly authorization: string | undefined;
}

/** Decides per target URL whether to use a proxy: an explicit one, else HTTP(S)_PROXY, both minus NO_PROXY. */
export class ProxyRoutes {
  private constructor(
    private readonly httpProxy: Proxy | undefined,
    private readonly httpsProxy: Proxy | undefined,
    private readonly bypass: readonly ((hostname: string, port: number) => boolean)[],
    private readonly bypassAll: boolean,
  ) {}

  /** From the `proxy` option, else the environment; throws a clear error for a malformed proxy URL. */
  static from(explicit: string | undefined, environment: Readonly<Record<string, string | undefined>>): ProxyRoutes {
    const variable = (name: string): string | undefined => nonEmpty(environment[name.toLowerCase()]) ?? nonEmpty(environment[name]);
    const httpSource = explicit ?? variable('HTTP_PROXY');
    const httpsSource = explicit ?? variable('HTTPS_PROXY');
    const noProxy = (variable('NO_PROXY') ?? '').split(/[\s,]+/).filter((entry) => entry !== '');
    return new ProxyRoutes(
      httpSource === undefined ? undefined : parseProxy(httpSource, explicit === undefined ? 'HTTP_PROXY' : 'proxy'),
      httpsSource === undefined ? undefined : parseProxy(httpsSource, explicit === undefined ? 'HTTPS_PROXY' : 'proxy'),
      noProxy.filter((entry) => entry !== '*').map((entry) => hostMatcher(entry.startsWith('.') ? `*${entry}` : entry)),
      noProxy.includes('*'),
    );
  }

  /** The proxy for a target, or undefined to connect directly. */
  proxyFor(protocol: string, hostname: string, port: number): Proxy | undefined {
    const proxy = protocol === 'https:' ? this.httpsProxy : this.httpProxy;
    if (proxy === undefined || this.bypassAll) return undefined;
    const bare = hostname.replace(/^\[|\]$/g, '');
    // `example.com` in NO_PROXY also covers its subdomains, as curl does.
    const bypassed = this.bypass.some((matches) => matches(bare, port)) || this.bypass.some((matches) => suffixes(bare).some((suffix) => matches(suffix, port)));
    return bypassed ? undefined : proxy;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function suffixes(hostname: string): string[] {
  const labels = hostname.split('.');
  return labels.slice(1).map((_, index) => labels.slice(index + 1).join('.'));
}

function parseProxy(source: string, setting: string): Proxy {
  let url: URL;
  try {
    url = new URL(source.includes('://') ? source : `http://${source}`);
  } catch {
    throw new Error(`the ${setting} setting "${source}" is not a valid proxy URL; write it like http://proxy.example:3128`);
  }
  if (url.protocol !== 'http:') {
    throw new Error(`the ${setting} setting "${source}" uses ${url.protocol}; only http:// proxies are supported`);
  }
  const authorization =
    url.username === '' ? undefined : `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  return { url, host: url.hostname, port: Number(url.port || 80), authorization };
}

/** Opens a CONNECT tunnel to `host:port` through `proxy` over an already connected socket. */
export async function openTunnel(socket: Socket, proxy: Proxy, host: string, port: number): Promise<Socket> {
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
  if (proxy.authorization !== undefined) lines.push(`Proxy-Authorization: ${proxy.authorization}`);
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  const head = await readResponseHead(socket, proxy);
  const status = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(head.split('\r\n', 1)[0] ?? '');
  if (status === null) {
    socket.destroy();
    throw new EngineFailure('proxy', `proxy ${proxy.host}:${proxy.port} answered CONNECT ${authority} with something that is not HTTP`);
  }
  if (status[1] !== '200') {
    socket.destroy();
    const hint = status[1] === '407' ? '; put credentials in the proxy URL (http://user:password@host:port)' : '';
    throw new EngineFailure('proxy', `proxy ${proxy.host}:${proxy.port} refused to tunnel to ${authority}: ${status[1]} ${status[2] ?? ''}`.trimEnd() + hint);
  }
  return socket;
}

const maxHeadBytes = 64 * 1024;

async function readResponseHead(socket: Socket, proxy: Proxy): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const cleanup = (): void => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('end', onEnd);
    };
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end >= 0) {
        cleanup();
        // Bytes after the head already belong to the tunnelled stream.
        if (end + 4 < received.length) socket.unshift(received.subarray(end + 4));
        resolve(received.subarray(0, end).toString('latin1'));
      } else if (received.length > maxHeadBytes) {
        cleanup();
        socket.destroy();
        reject(new EngineFailure('proxy', `proxy ${proxy.host}:${proxy.port} sent an oversized answer to CONNECT`));
      }
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(new EngineFailure('proxy', `proxy ${proxy.host}:${proxy.port} failed during CONNECT: ${error.message}`));
    };
    const onEnd = (): void => {
      cleanup();
      reject(new EngineFailure('proxy', `proxy ${proxy.host}:${proxy.port} closed the connection during CONNECT`));
    };
    socket.on('data', onData);
    socket.once('error', onError);
    socket.once('end', onEnd);
  });
}
