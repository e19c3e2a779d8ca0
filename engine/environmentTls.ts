// JetBrains' `SSLConfiguration` of an environment, applied to its requests: the client
// certificate and key read from the files it names (PEM or DER, paths relative to the env file
// that names them), the key's passphrase asked once per session when `hasCertificatePassphrase`
// says so and kept in the session's memory only, and `verifyHostCertificate: false` sending as
// `# @insecure` does. Every failure is an `EngineError` naming the file, the environment and the key.

import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import { sslConfigurationKey, type CertificateFileReference, type EnvironmentSslConfiguration, type SslSetting } from '../language/sslConfiguration';
import type { EngineError, PresentedCertificate } from './model';
import type { SessionSlot } from './sessionState';
import type { PromptQuestion } from './variableSources';

/** Asks for a passphrase; undefined when the user gave none. */
export type AskPassphrase = (question: PromptQuestion) => Promise<string | undefined>;

/** What a session keeps of environments' certificates, in memory only. */
export interface CertificateState {
  /** Certificates ready to present, by their files' contents: the same files give the same object (and connection pool). */
  readonly loaded: Map<string, PresentedCertificate>;
  /** Passphrases that opened a key, by the key file's path. */
  readonly passphrases: Map<string, string>;
  /** Questions being asked, by key file: requests sent together ask once. */
  readonly asking: Map<string, Promise<string | undefined>>;
}

/** The session slot of environments' client certificates and their passphrases. */
export const environmentCertificates: SessionSlot<CertificateState> = {
  name: 'client certificates',
  create: () => ({ loaded: new Map(), passphrases: new Map(), asking: new Map() }),
};

/** Whether the environment turns host certificate verification off (`"verifyHostCertificate": false`). */
export function skipsHostVerification(ssl: EnvironmentSslConfiguration | undefined): boolean {
  return ssl?.verifyHostCertificate?.value === false;
}

/** The environment's client certificate, read, decrypted and checked; undefined when it names none. */
export async function environmentCertificate(
  ssl: EnvironmentSslConfiguration | undefined,
  ask: AskPassphrase | undefined,
  state: CertificateState,
): Promise<{ readonly certificate: PresentedCertificate | undefined } | { readonly error: EngineError }> {
  const certificateSetting = ssl?.clientCertificate;
  if (ssl === undefined || certificateSetting === undefined) return { certificate: undefined };
  const keySetting = ssl.clientCertificateKey ?? certificateSetting;
  const certificateFile = new SettingFile('clientCertificate', certificateSetting);
  const keyFile = ssl.clientCertificateKey === undefined ? certificateFile : new SettingFile('clientCertificateKey', keySetting);
  try {
    const certificateBytes = await certificateFile.read('client certificate');
    const keyBytes = keyFile === certificateFile ? certificateBytes : await keyFile.read('client certificate key');
    const contents = createHash('sha256').update(certificateFile.format).update(certificateBytes).update(keyFile.format).update(keyBytes).digest('hex');
    const cached = state.loaded.get(contents);
    if (cached !== undefined) return { certificate: cached };
    const cert = certificateFile.certificatePem(certificateBytes);
    const passphraseSetting = ssl.hasCertificatePassphrase;
    let passphrase: string | undefined;
    if (passphraseSetting?.value === true) {
      const answer = await passphraseFor(keyFile, passphraseSetting, ask, state);
      if ('error' in answer) return answer;
      passphrase = answer.passphrase;
    }
    const key = keyFile.privateKey(keyBytes, passphrase, state, keyFile === certificateFile);
    const certificate: PresentedCertificate = { cert, key: key.export({ type: 'pkcs8', format: 'pem' }).toString() };
    try {
      createSecureContext({ cert: certificate.cert, key: certificate.key });
    } catch (error) {
      throw new CertificateError(`the client certificate ${certificateFile.path} and the key ${keyFile.path} do not belong together (${certificateFile.where}): ${reasonOf(error)}`);
    }
    if (passphrase !== undefined) state.passphrases.set(keyFile.path, passphrase);
    // A request sent meanwhile may have loaded the same files: keep one object, so one pool.
    const loadedMeanwhile = state.loaded.get(contents);
    if (loadedMeanwhile !== undefined) return { certificate: loadedMeanwhile };
    state.loaded.set(contents, certificate);
    return { certificate };
  } catch (error) {
    if (error instanceof CertificateError) return { error: { code: error.code, message: error.message } };
    throw error;
  }
}

/** A problem of the configuration or its files, reported as the request's error. */
class CertificateError extends Error {
  constructor(
    message: string,
    readonly code: EngineError['code'] = 'tls',
  ) {
    super(message);
  }
}

/** A certificate or key file named by a key of the configuration: where it is and how to talk about it. */
class SettingFile {
  readonly path: string;
  readonly format: CertificateFileReference['format'];
  /** `"clientCertificate" in SSLConfiguration of environment "dev", /work/http-client.private.env.json` */
  readonly where: string;
  readonly environment: string;

  constructor(
    readonly key: 'clientCertificate' | 'clientCertificateKey',
    setting: SslSetting<CertificateFileReference>,
  ) {
    this.path = resolve(dirname(setting.uri), setting.value.path);
    this.format = setting.value.format;
    this.environment = setting.environment;
    this.where = settingPlace(key, setting);
  }

  async read(what: string): Promise<Buffer> {
    try {
      return await readFile(this.path);
    } catch (error) {
      throw new CertificateError(`cannot read the ${what} ${this.path} (${this.where}): ${reasonOf(error)}`, 'file');
    }
  }

  /** The certificate as PEM: PEM files as written (a chain stays whole), DER converted. */
  certificatePem(bytes: Buffer): string {
    try {
      if (this.format === 'DER') return new X509Certificate(bytes).toString();
      const text = bytes.toString('utf8');
      // X509Certificate reads DER too: a PEM certificate is one with its armour.
      if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no "-----BEGIN CERTIFICATE-----" line');
      new X509Certificate(text);
      return text;
    } catch (error) {
      const other = this.format === 'PEM' ? 'DER' : 'PEM';
      throw new CertificateError(
        `the client certificate ${this.path} is not a ${this.format} certificate (${this.where}): ${reasonOf(error)}. If it is ${other}, write { "path": "...", "format": "${other}" }`,
      );
    }
  }

  /** The key, decrypted with `passphrase` when given. */
  privateKey(bytes: Buffer, passphrase: string | undefined, state: CertificateState, sharedWithCertificate: boolean): KeyObject {
    if (passphrase === undefined && this.format === 'PEM' && isEncryptedPem(bytes.toString('utf8'))) {
      throw new CertificateError(`the client certificate key ${this.path} is encrypted (${this.where}): add "hasCertificatePassphrase": true to ${sslConfigurationKey} and the passphrase is asked when a request is sent`);
    }
    try {
      return this.format === 'PEM' ? createPrivateKey({ key: bytes, format: 'pem', ...(passphrase === undefined ? {} : { passphrase }) }) : derPrivateKey(bytes, passphrase);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ERR_OSSL_BAD_DECRYPT' || code === 'ERR_MISSING_PASSPHRASE' || code === 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED') {
        if (passphrase === undefined) {
          throw new CertificateError(`the client certificate key ${this.path} is encrypted (${this.where}): add "hasCertificatePassphrase": true to ${sslConfigurationKey} and the passphrase is asked when a request is sent`);
        }
        // Asked again on the next send.
        state.passphrases.delete(this.path);
        throw new CertificateError(`the passphrase for the client certificate key ${this.path} is wrong (${this.where}): check it and send again`);
      }
      if (sharedWithCertificate) {
        throw new CertificateError(`the client certificate ${this.path} holds no private key (${this.where}): name the key file in "clientCertificateKey"`);
      }
      const other = this.format === 'PEM' ? 'DER' : 'PEM';
      throw new CertificateError(
        `the client certificate key ${this.path} is not a ${this.format} private key (${this.where}): ${reasonOf(error)}. If it is ${other}, write { "path": "...", "format": "${other}" }`,
      );
    }
  }
}

/** The passphrase for `keyFile`: the one that opened it before in this session, else asked (once, however many requests wait for it). */
async function passphraseFor(
  keyFile: SettingFile,
  setting: SslSetting<boolean>,
  ask: AskPassphrase | undefined,
  state: CertificateState,
): Promise<{ readonly passphrase: string } | { readonly error: EngineError }> {
  const known = state.passphrases.get(keyFile.path);
  if (known !== undefined) return { passphrase: known };
  if (ask === undefined) {
    return {
      error: {
        code: 'tls',
        message: `the client certificate key ${keyFile.path} needs a passphrase (${settingPlace('hasCertificatePassphrase', setting)}), but nobody can answer here: pass --cert-passphrase to courier run, or run it in a terminal`,
      },
    };
  }
  let asking = state.asking.get(keyFile.path);
  if (asking === undefined) {
    asking = ask({ name: 'certificate passphrase', description: `Passphrase of the client certificate key ${keyFile.path} (${sslConfigurationKey} of environment ${keyFile.environment})`, secret: true });
    state.asking.set(keyFile.path, asking);
    const forget = (): void => {
      state.asking.delete(keyFile.path);
    };
    void asking.then(forget, forget);
  }
  let answer: string | undefined;
  try {
    answer = await asking;
  } catch (error) {
    return { error: { code: 'aborted', message: `not sent: the passphrase for the client certificate key ${keyFile.path} could not be asked: ${reasonOf(error)}` } };
  }
  if (answer === undefined) return { error: { code: 'aborted', message: `not sent: no passphrase was given for the client certificate key ${keyFile.path}` } };
  return { passphrase: answer };
}

/** A DER key: PKCS#8 (encrypted or not), else PKCS#1 RSA, else SEC1 EC. */
function derPrivateKey(bytes: Buffer, passphrase: string | undefined): KeyObject {
  const withPassphrase = passphrase === undefined ? {} : { passphrase };
  try {
    return createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8', ...withPassphrase });
  } catch (pkcs8Error) {
    const code = (pkcs8Error as { code?: unknown }).code;
    if (code === 'ERR_OSSL_BAD_DECRYPT' || code === 'ERR_MISSING_PASSPHRASE') throw pkcs8Error;
    for (const type of ['pkcs1', 'sec1'] as const) {
      try {
        return createPrivateKey({ key: bytes, format: 'der', type });
      } catch {
        // Not this encoding either: the PKCS#8 error is the one to report.
      }
    }
    throw pkcs8Error;
  }
}

function settingPlace(key: string, setting: SslSetting<unknown>): string {
  return `"${key}" in ${sslConfigurationKey} of environment "${setting.environment}", ${setting.uri}`;
}

function isEncryptedPem(text: string): boolean {
  return /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(text);
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
