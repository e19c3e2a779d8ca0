// TLS for a session: extra trusted CAs, client certificates chosen by host, hosts where
// verification is skipped, and a handshake that explains a rejected certificate by name.
import { readFile } from 'node:fs/promises';
import { isIP, type Socket } from 'node:net';
import * as tls from 'node:tls';
import { EngineFailure } from './errors';
import type { PresentedCertificate } from './model';

/** A client certificate for hosts matching `host` (`name`, `name:port`, or a glob like `*.example.com`). Paths are files. */
export interface ClientCertificate {
  readonly host: string;
  readonly cert?: string;
  readonly key?: string;
  readonly pfx?: string;
  readonly passphrase?: string;
}

interface LoadedClientCertificate {
  readonly matches: (hostname: string, port: number) => boolean;
  readonly options: Pick<tls.ConnectionOptions, 'cert' | 'key' | 'pfx' | 'passphrase'>;
}

/** Builds a matcher for `name`, `name:port` or a glob (`*` matches within a host name); case-insensitive. */
export function hostMatcher(pattern: string): (hostname: string, port: number) => boolean {
  const trimmed = pattern.trim().toLowerCase();
  const portMatch = /^(.*):(\d+)$/.exec(trimmed);
  const hostPart = portMatch?.[1] ?? trimmed;
  const wantedPort = portMatch === null ? undefined : Number(portMatch[2]);
  const expression = new RegExp(`^${hostPart.split('*').map(escapeRegExp).join('[^:]*')}$`);
  return (hostname, port) => (wantedPort === undefined || wantedPort === port) && expression.test(hostname.toLowerCase());
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** TLS material loaded once when a session opens. */
export class TlsSettings {
  private constructor(
    private readonly ca: readonly string[] | undefined,
    private readonly clientCertificates: readonly LoadedClientCertificate[],
    private readonly insecureMatchers: readonly ((hostname: string, port: number) => boolean)[],
  ) {}

  /** Reads CA files and client certificates; rejects with a message naming the unreadable file and the setting. */
  static async load(options: {
    readonly caFiles?: readonly string[];
    readonly clientCertificates?: readonly ClientCertificate[];
    readonly insecureHosts?: readonly string[];
  }): Promise<TlsSettings> {
    const extraCas = await Promise.all((options.caFiles ?? []).map((file) => readSetting(file, 'caFiles', 'utf8')));
    const ca = extraCas.length === 0 ? undefined : [...tls.rootCertificates, ...(await systemExtraCas()), ...extraCas];
    const clientCertificates = await Promise.all(
      (options.clientCertificates ?? []).map(async (entry): Promise<LoadedClientCertificate> => {
        if (entry.pfx === undefined && (entry.cert === undefined || entry.key === undefined)) {
          throw new Error(`the clientCertificates setting for "${entry.host}" has no certificate to send: give it a pfx file, or both a cert and a key file`);
        }
        const setting = `clientCertificates["${entry.host}"]`;
        return {
          matches: hostMatcher(entry.host),
          options: {
            cert: entry.cert === undefined ? undefined : await readSetting(entry.cert, `${setting}.cert`, 'utf8'),
            key: entry.key === undefined ? undefined : await readSetting(entry.key, `${setting}.key`, 'utf8'),
            pfx: entry.pfx === undefined ? undefined : await readSetting(entry.pfx, `${setting}.pfx`),
            passphrase: entry.passphrase,
          },
        };
      }),
    );
    return new TlsSettings(ca, clientCertificates, (options.insecureHosts ?? []).map(hostMatcher));
  }

  /** True when `insecureHosts` names this host: its certificate is not verified. */
  isInsecureHost(hostname: string, port: number): boolean {
    return this.insecureMatchers.some((matches) => matches(hostname, port));
  }

  /** Connection options for a host: trusted CAs and the environment's client certificate, else the first matching one of the settings. */
  optionsFor(hostname: string, port: number, environmentCertificate?: PresentedCertificate): tls.ConnectionOptions {
    const certificate = environmentCertificate === undefined ? this.clientCertificates.find((entry) => entry.matches(hostname, port))?.options : { cert: environmentCertificate.cert, key: environmentCertificate.key };
    return { ...(this.ca === undefined ? {} : { ca: [...this.ca] }), ...certificate };
  }
}

async function readSetting(file: string, setting: string, encoding: 'utf8'): Promise<string>;
async function readSetting(file: string, setting: string): Promise<Buffer>;
async function readSetting(file: string, setting: string, encoding?: 'utf8'): Promise<string | Buffer> {
  try {
    return encoding === undefined ? await readFile(file) : await readFile(file, encoding);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot read ${file} (from the ${setting} setting): ${reason}`, { cause: error });
  }
}

/** Passing `ca` replaces Node's default store, so keep NODE_EXTRA_CA_CERTS trusted too. */
async function systemExtraCas(): Promise<string[]> {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (file === undefined || file === '') return [];
  try {
    return [await readFile(file, 'utf8')];
  } catch {
    return [];
  }
}

const verificationReasons: Readonly<Record<string, string>> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate (its issuer is not trusted)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get the local issuer certificate',
  UNABLE_TO_GET_ISSUER_CERT: 'unable to get the issuer certificate',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'a self-signed certificate is in the chain',
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not yet valid',
  CERT_REVOKED: 'the certificate was revoked',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is not valid for this host name',
};

/** A TLS handshake over `socket`; unless `insecure`, rejects an unverified peer with a message naming its certificate. */
export async function secureConnection(options: {
  readonly socket: Socket;
  readonly hostname: string;
  readonly port: number;
  readonly servername: string | undefined;
  readonly settings: TlsSettings;
  readonly insecure: boolean;
  /** Protocols offered in ALPN, preferred first (default `http/1.1` alone). */
  readonly alpn?: readonly string[];
  /** Presented instead of the settings' certificate for this host. */
  readonly clientCertificate?: PresentedCertificate;
}): Promise<tls.TLSSocket> {
  const { socket, hostname, port, settings, insecure } = options;
  const servername = options.servername ?? hostname;
  const secure = tls.connect({
    socket,
    // SNI must not carry an IP address (RFC 6066).
    servername: isIP(servername) === 0 ? servername : undefined,
    ALPNProtocols: options.alpn === undefined ? ['http/1.1'] : [...options.alpn],
    // Verification happens below, where the certificate is still available to name in the message.
    rejectUnauthorized: false,
    ...settings.optionsFor(hostname, port, options.clientCertificate),
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => {
      secure.off('secureConnect', onConnect);
      reject(handshakeFailure(error, hostname, port));
    };
    const onConnect = (): void => {
      secure.off('error', onError);
      resolve();
    };
    secure.once('error', onError);
    secure.once('secureConnect', onConnect);
  });
  if (insecure) return secure;
  const certificate = secure.getPeerCertificate();
  const identityError = secure.authorized ? tls.checkServerIdentity(servername, certificate) : undefined;
  const reasonCode = !secure.authorized
    ? String(secure.authorizationError)
    : identityError === undefined
      ? undefined
      : ((identityError as Error & { code?: string }).code ?? 'ERR_TLS_CERT_ALTNAME_INVALID');
  if (reasonCode === undefined) return secure;
  secure.destroy();
  const reason = verificationReasons[reasonCode] ?? reasonCode;
  throw new EngineFailure(
    'tls',
    `the TLS certificate of ${hostname}:${port} (${describeCertificate(certificate)}) is not trusted: ${reason}. ` +
      'Add its CA to caFiles, or list the host in insecureHosts to skip verification.',
  );
}

function describeCertificate(certificate: tls.PeerCertificate): string {
  const subject = formatName(certificate.subject);
  const issuer = formatName(certificate.issuer);
  return `subject ${subject}, issuer ${issuer}`;
}

function formatName(name: tls.Certificate | undefined): string {
  if (name === undefined) return 'unknown';
  const parts = Object.entries(name).map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`);
  return parts.length === 0 ? 'empty' : parts.join(', ');
}

function handshakeFailure(error: Error, hostname: string, port: number): EngineFailure {
  const code = (error as { code?: unknown }).code;
  const hint = /CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|HANDSHAKE_FAILURE/i.test(`${String(code)} ${error.message}`)
    ? '; the server may require a client certificate: configure one for this host in clientCertificates, or in the environment\'s SSLConfiguration'
    : '';
  return new EngineFailure('tls', `the TLS handshake with ${hostname}:${port} failed: ${error.message}${hint}`);
}
