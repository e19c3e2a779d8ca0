// Obtaining tokens for one configuration, grant by grant, through oauth4webapi: it builds every
// request (PKCE, client authentication, device polling) and validates every answer (token type,
// ID token claims, state, the authorization response's issuer). What is Courier's own: reading
// JetBrains' keys into its calls, the loopback redirect (browserStep.ts), and the Implicit grant's
// fragment, which oauth4webapi leaves out on purpose (OAuth 2.1 drops the grant).

import * as oauth from 'oauth4webapi';
import type { AuthConfiguration, CustomParameterUse } from '../../language/authConfigurations';
import { isLoopbackRedirect, listenForRedirect, type AuthInteraction } from './browserStep';

/** One line of the Auth log: a request to the provider and its answer, never a secret. */
export type AuthLog = (line: string) => void;

/** What a grant needs besides its configuration. */
export interface GrantContext {
  /** `id` in environment `dev`, for messages. */
  readonly label: string;
  readonly interaction: AuthInteraction;
  readonly log: AuthLog;
  readonly signal?: AbortSignal;
  /** The fetch the requests go through; the global one by default (oauth4webapi checks `Response` by class). */
  readonly fetch?: typeof fetch;
}

/** The token endpoint's answer, as oauth4webapi validated it. */
export type TokenResponse = oauth.TokenEndpointResponse;

/** Why a grant failed, in a sentence naming the configuration and the provider's answer. */
export class GrantError extends Error {}

/** The user could not take part (`--no-interactive`); the message says how to get a token otherwise. */
export class InteractionRequiredError extends GrantError {}

/** Obtains tokens with the configuration's grant. */
export async function acquireTokens(configuration: AuthConfiguration, context: GrantContext): Promise<TokenResponse> {
  try {
    switch (configuration.grantType) {
      case 'Client Credentials':
        return await clientCredentials(configuration, context);
      case 'Password':
        return await password(configuration, context);
      case 'Authorization Code':
        return await authorizationCode(configuration, context);
      case 'Device Authorization':
        return await deviceAuthorization(configuration, context);
      case 'Implicit':
        return await implicit(configuration, context);
    }
  } catch (error) {
    throw explained(error, configuration, context);
  }
}

/** Exchanges a refresh token for new tokens. */
export async function refreshTokens(configuration: AuthConfiguration, refreshToken: string, context: GrantContext): Promise<TokenResponse> {
  try {
    const endpoint = tokenEndpoint(configuration);
    const response = await oauth.refreshTokenGrantRequest(server(configuration), client(configuration), clientAuthentication(configuration), refreshToken, {
      ...requestOptions(context, endpoint, 'refresh'),
      additionalParameters: customParameters(configuration, 'In Token Request'),
    });
    return await oauth.processRefreshTokenResponse(await serverFor(configuration, response), client(configuration), response);
  } catch (error) {
    throw explained(error, configuration, context);
  }
}

async function clientCredentials(configuration: AuthConfiguration, context: GrantContext): Promise<TokenResponse> {
  const endpoint = tokenEndpoint(configuration);
  const parameters = customParameters(configuration, 'In Token Request');
  if (configuration.scope !== undefined && configuration.scope !== '') parameters.set('scope', configuration.scope);
  const response = await oauth.clientCredentialsGrantRequest(server(configuration), client(configuration), clientAuthentication(configuration), parameters, requestOptions(context, endpoint, 'client credentials'));
  return oauth.processClientCredentialsResponse(await serverFor(configuration, response), client(configuration), response);
}

async function password(configuration: AuthConfiguration, context: GrantContext): Promise<TokenResponse> {
  const endpoint = tokenEndpoint(configuration);
  const parameters = customParameters(configuration, 'In Token Request');
  parameters.set('username', configuration.username ?? '');
  parameters.set('password', configuration.password ?? '');
  if (configuration.scope !== undefined && configuration.scope !== '') parameters.set('scope', configuration.scope);
  const response = await oauth.genericTokenEndpointRequest(server(configuration), client(configuration), clientAuthentication(configuration), 'password', parameters, requestOptions(context, endpoint, 'password'));
  return oauth.processGenericTokenEndpointResponse(await serverFor(configuration, response), client(configuration), response);
}

async function authorizationCode(configuration: AuthConfiguration, context: GrantContext): Promise<TokenResponse> {
  const authorizationUrl = endpointUrl(configuration.authUrl, 'Auth URL', configuration);
  const endpoint = tokenEndpoint(configuration);
  const verifier = configuration.pkce === undefined ? undefined : (configuration.pkce.verifier ?? oauth.generateRandomCodeVerifier());
  const state = oauth.generateRandomState();
  const nonce = wantsIdToken(configuration) ? oauth.generateRandomNonce() : undefined;
  const callback = await browserStep(configuration, context, authorizationUrl, (parameters) => {
    parameters.set('response_type', 'code');
    parameters.set('state', state);
    if (nonce !== undefined) parameters.set('nonce', nonce);
  }, verifier);
  const authorizationServer = serverWithIssuer(configuration, callback.parameters.get('iss') ?? undefined);
  const validated = oauth.validateAuthResponse(authorizationServer, client(configuration), callback.parameters, state);
  context.log(`${context.label}: the browser came back with an authorization code`);
  const response = await oauth.authorizationCodeGrantRequest(authorizationServer, client(configuration), clientAuthentication(configuration), validated, callback.redirectUri, verifier ?? oauth.nopkce, {
    ...requestOptions(context, endpoint, 'authorization code'),
    additionalParameters: customParameters(configuration, 'In Token Request'),
  });
  const issuer = callback.parameters.get('iss') ?? (await idTokenIssuer(response));
  return oauth.processAuthorizationCodeResponse(serverWithIssuer(configuration, issuer), client(configuration), response, { expectedNonce: nonce ?? oauth.expectNoNonce });
}

async function implicit(configuration: AuthConfiguration, context: GrantContext): Promise<TokenResponse> {
  const authorizationUrl = endpointUrl(configuration.authUrl, 'Auth URL', configuration);
  const state = oauth.generateRandomState();
  // OpenID Connect's Implicit flow (`id_token token`, with a nonce) when the scope asks for openid.
  const nonce = configuration.useIdToken || wantsIdToken(configuration) ? oauth.generateRandomNonce() : undefined;
  const callback = await browserStep(configuration, context, authorizationUrl, (parameters) => {
    parameters.set('response_type', nonce === undefined ? 'token' : 'id_token token');
    parameters.set('state', state);
    if (nonce !== undefined) parameters.set('nonce', nonce);
  }, undefined);
  const answer = callback.parameters;
  // oauth4webapi has no Implicit grant; the RFC 6749 §4.2.2 fields are read here, state first.
  if (answer.get('state') !== state) throw new GrantError(`the browser came back without the state Courier sent (RFC 6749 §10.12): the answer was not for this authorization; acquire the token again`);
  const error = answer.get('error');
  if (error !== null) throw new GrantError(`the authorization endpoint answered ${error}${describe(answer.get('error_description'))}`);
  const accessToken = answer.get('access_token');
  const tokenType = answer.get('token_type');
  if (accessToken === null || accessToken === '' || tokenType === null) throw new GrantError('the authorization endpoint sent back no access_token and token_type in the URL fragment: is the client allowed the Implicit grant (response_type=token)?');
  const idToken = answer.get('id_token');
  if (nonce !== undefined && (idToken === null || idTokenClaim(idToken, 'nonce') !== nonce)) {
    throw new GrantError('the ID token that came back does not carry the nonce Courier sent (OpenID Connect Core §3.2.2.11): the answer was not for this authorization; acquire the token again');
  }
  const expiresIn = Number(answer.get('expires_in') ?? Number.NaN);
  return {
    access_token: accessToken,
    token_type: tokenType.toLowerCase() as Lowercase<string>,
    ...(Number.isFinite(expiresIn) ? { expires_in: expiresIn } : {}),
    ...(idToken === null ? {} : { id_token: idToken }),
    ...(answer.get('scope') === null ? {} : { scope: answer.get('scope') ?? '' }),
  };
}

async function deviceAuthorization(configuration: AuthConfiguration, context: GrantContext): Promise<TokenResponse> {
  if (!context.interaction.interactive) throw new InteractionRequiredError(needsUser(configuration));
  const deviceEndpoint = endpointUrl(configuration.deviceAuthUrl, 'Device Auth URL', configuration);
  const endpoint = tokenEndpoint(configuration);
  const authorizationServer = server(configuration);
  const parameters = customParameters(configuration, 'In Auth Request');
  if (configuration.scope !== undefined && configuration.scope !== '') parameters.set('scope', configuration.scope);
  const started = await oauth.deviceAuthorizationRequest(authorizationServer, client(configuration), clientAuthentication(configuration), parameters, requestOptions(context, deviceEndpoint, 'device authorization'));
  const device = await oauth.processDeviceAuthorizationResponse(authorizationServer, client(configuration), started);
  const hide = context.interaction.showDeviceCode({
    configuration: context.label,
    userCode: device.user_code,
    verificationUri: device.verification_uri,
    verificationUriComplete: device.verification_uri_complete,
    expiresInSeconds: device.expires_in,
  });
  try {
    let interval = (device.interval ?? 5) * 1000;
    const deadline = Date.now() + Math.min(device.expires_in * 1000, context.interaction.timeoutMs);
    for (;;) {
      await sleep(interval, context.signal);
      const response = await oauth.deviceCodeGrantRequest(authorizationServer, client(configuration), clientAuthentication(configuration), device.device_code, {
        ...requestOptions(context, endpoint, 'device code'),
        additionalParameters: customParameters(configuration, 'In Token Request'),
      });
      try {
        return await oauth.processDeviceCodeResponse(await serverFor(configuration, response), client(configuration), response);
      } catch (error) {
        if (!(error instanceof oauth.ResponseBodyError)) throw error;
        // RFC 8628 §3.5: keep polling while the user has not finished, more slowly when asked to.
        if (error.error === 'slow_down') interval += 5000;
        else if (error.error !== 'authorization_pending') throw error;
        if (Date.now() + interval > deadline) throw new GrantError(`nobody entered the code ${device.user_code} at ${device.verification_uri} in time; acquire the token again`);
      }
    }
  } finally {
    hide();
  }
}

/** The user's trip through the browser, to the Redirect URL and back; the parameters it brought. */
async function browserStep(
  configuration: AuthConfiguration,
  context: GrantContext,
  authorizationUrl: URL,
  addResponseParameters: (parameters: URLSearchParams) => void,
  verifier: string | undefined,
): Promise<{ readonly parameters: URLSearchParams; readonly redirectUri: string }> {
  if (!context.interaction.interactive) throw new InteractionRequiredError(needsUser(configuration));
  const written = configuration.redirectUrl ?? 'http://127.0.0.1/callback';
  let redirect: URL;
  try {
    redirect = new URL(written);
  } catch {
    throw new GrantError(`its Redirect URL "${written}" is not a URL: use http://127.0.0.1:PORT/callback, which Courier receives itself`);
  }
  // The front end may cancel the wait itself (the editor's "Waiting for the browser" notification).
  const cancelled = new AbortController();
  const signal = AbortSignal.any([withTimeout(context.signal, context.interaction.timeoutMs), cancelled.signal]);
  let endWait = (): void => undefined;
  const wait = { ended: new Promise<void>((resolve) => (endWait = resolve)), cancel: () => cancelled.abort() };
  const listener = isLoopbackRedirect(redirect) ? await listenForRedirect(redirect) : undefined;
  if (listener === undefined && context.interaction.receiveRedirect === undefined) {
    throw new GrantError(`its Redirect URL ${redirect.href} is not one Courier can receive here: set "Redirect URL" to http://127.0.0.1:PORT/callback (any free port and path, registered at the provider)${redirect.protocol === 'vscode:' ? ', or send from VS Code, which receives its own vscode:// URI' : ''}`);
  }
  try {
    const redirectUri = listener?.redirectUri ?? redirect.href;
    const url = new URL(authorizationUrl.href);
    url.searchParams.set('client_id', configuration.clientId);
    url.searchParams.set('redirect_uri', redirectUri);
    if (configuration.scope !== undefined && configuration.scope !== '') url.searchParams.set('scope', configuration.scope);
    addResponseParameters(url.searchParams);
    if (verifier !== undefined && configuration.pkce !== undefined) {
      url.searchParams.set('code_challenge', configuration.pkce.method === 'plain' ? verifier : await oauth.calculatePKCECodeChallenge(verifier));
      url.searchParams.set('code_challenge_method', configuration.pkce.method);
    }
    for (const [name, value] of customParameters(configuration, 'In Auth Request')) url.searchParams.append(name, value);
    context.log(`${context.label}: opening the authorization page ${authorizationUrl.origin}${authorizationUrl.pathname} in the browser; waiting for ${redirectUri}`);
    await context.interaction.openBrowser(context.label, url.href, wait);
    const parameters = listener === undefined ? (await (context.interaction.receiveRedirect?.(redirectUri, signal) ?? Promise.reject(new Error('no redirect')))).searchParams : await untilAborted(listener.parameters, signal);
    return { parameters, redirectUri };
  } catch (error) {
    if (cancelled.signal.aborted) throw new GrantError('cancelled while waiting for the browser');
    throw error;
  } finally {
    endWait();
    await listener?.close();
  }
}

/** The ID token's `iss` claim, read before validation so the claims can be checked against it (see `serverFor`). */
async function idTokenIssuer(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.clone().json()) as { id_token?: unknown };
    return typeof body.id_token === 'string' ? idTokenClaim(body.id_token, 'iss') : undefined;
  } catch {
    return undefined;
  }
}

/** A string claim of a JWT's payload, unverified. */
function idTokenClaim(jwt: string, claim: string): string | undefined {
  try {
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const value = claims[claim];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The authorization server as oauth4webapi needs it. A JetBrains configuration names endpoints,
 * not an issuer; the issuer an ID token's claims are checked against is the one the token endpoint
 * names over the connection to it, which OpenID Connect Core §3.1.3.7 (6) allows in place of a
 * configured one. Audience, expiry and nonce are still checked.
 */
async function serverFor(configuration: AuthConfiguration, response: Response): Promise<oauth.AuthorizationServer> {
  return serverWithIssuer(configuration, await idTokenIssuer(response));
}

function serverWithIssuer(configuration: AuthConfiguration, issuer: string | undefined): oauth.AuthorizationServer {
  return { ...server(configuration), ...(issuer === undefined ? {} : { issuer }) };
}

function server(configuration: AuthConfiguration): oauth.AuthorizationServer {
  const tokenUrl = configuration.tokenUrl ?? configuration.authUrl ?? '';
  let origin = 'urn:courier:unknown-issuer';
  try {
    origin = new URL(tokenUrl).origin;
  } catch {
    // A missing Token URL is reported where it is needed.
  }
  return {
    issuer: origin,
    ...(configuration.tokenUrl === undefined ? {} : { token_endpoint: configuration.tokenUrl }),
    ...(configuration.authUrl === undefined ? {} : { authorization_endpoint: configuration.authUrl }),
    ...(configuration.deviceAuthUrl === undefined ? {} : { device_authorization_endpoint: configuration.deviceAuthUrl }),
  };
}

function client(configuration: AuthConfiguration): oauth.Client {
  return { client_id: configuration.clientId };
}

function clientAuthentication(configuration: AuthConfiguration): oauth.ClientAuth {
  const secret = configuration.clientSecret ?? '';
  switch (configuration.clientAuthentication) {
    case 'none':
      return oauth.None();
    case 'in body':
      if (secret === '') throw new GrantError('"Client Credentials" is "in body" but it has no "Client Secret": add it (in http-client.private.env.json), or set "Client Credentials" to "none" for a public client');
      return oauth.ClientSecretPost(secret);
    case 'basic':
      if (secret === '') throw new GrantError('"Client Credentials" is "basic" but it has no "Client Secret": add it (in http-client.private.env.json), or set "Client Credentials" to "none" for a public client');
      return oauth.ClientSecretBasic(secret);
  }
}

/** The custom parameters for one kind of request: `Everywhere` ones and those of that kind, each value once. */
function customParameters(configuration: AuthConfiguration, use: Exclude<CustomParameterUse, 'Everywhere'>): URLSearchParams {
  const parameters = new URLSearchParams();
  for (const parameter of configuration.customParameters) {
    if (parameter.use !== 'Everywhere' && parameter.use !== use) continue;
    for (const value of parameter.values) parameters.append(parameter.name, value);
  }
  return parameters;
}

function tokenEndpoint(configuration: AuthConfiguration): URL {
  return endpointUrl(configuration.tokenUrl, 'Token URL', configuration);
}

function endpointUrl(written: string | undefined, key: string, configuration: AuthConfiguration): URL {
  if (written === undefined || written === '') throw new GrantError(`the ${configuration.grantType} grant needs "${key}"`);
  try {
    return new URL(written);
  } catch {
    throw new GrantError(`its "${key}" ${JSON.stringify(written)} is not a URL`);
  }
}

function wantsIdToken(configuration: AuthConfiguration): boolean {
  return configuration.scope?.split(/\s+/).includes('openid') === true;
}

/** Options of every request to the provider: the fetch, http:// allowed (local providers), and a line in the Auth log per request. */
function requestOptions(context: GrantContext, endpoint: URL, what: string): oauth.HttpRequestOptions<'POST', URLSearchParams> {
  const underlying = context.fetch ?? fetch;
  return {
    ...(context.signal === undefined ? {} : { signal: context.signal }),
    [oauth.allowInsecureRequests]: endpoint.protocol === 'http:',
    [oauth.customFetch]: async (url, options) => {
      const started = Date.now();
      const where = new URL(url);
      try {
        const response = await underlying(url, options);
        context.log(`${context.label}: ${options.method} ${where.origin}${where.pathname} (${what}) -> ${response.status} in ${Date.now() - started} ms`);
        return response;
      } catch (error) {
        context.log(`${context.label}: ${options.method} ${where.origin}${where.pathname} (${what}) failed: ${(error as Error).message}`);
        throw error;
      }
    },
  };
}

function needsUser(configuration: AuthConfiguration): string {
  return `the ${configuration.grantType} grant needs you in a browser, and this run may not ask (--no-interactive): acquire the token first (e.g. courier run with --token-store FILE, interactively), or use a Client Credentials or Password configuration in CI`;
}

/** The provider's answer or the library's finding, as one sentence about the configuration. */
function explained(error: unknown, configuration: AuthConfiguration, context: GrantContext): Error {
  if (error instanceof GrantError) return error;
  if (error instanceof oauth.ResponseBodyError) {
    return new GrantError(`the token endpoint ${configuration.tokenUrl ?? ''} answered ${error.status} ${error.error}${describe(error.error_description)}`);
  }
  if (error instanceof oauth.AuthorizationResponseError) {
    return new GrantError(`the authorization endpoint answered ${error.error}${describe(error.error_description)}`);
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    // A 401 with WWW-Authenticate: the error is in the challenge's parameters rather than the body.
    const challenge = error.cause[0];
    const code = challenge?.parameters.error ?? 'a challenge';
    return new GrantError(`the token endpoint ${configuration.tokenUrl ?? ''} answered ${error.status} ${code}${describe(challenge?.parameters.error_description)} (WWW-Authenticate: ${error.cause.map((each) => each.scheme).join(', ')})`);
  }
  if (error instanceof Error && error.name === 'AbortError') return new GrantError(context.signal?.aborted === true ? 'cancelled' : `no answer from the browser within ${Math.round(context.interaction.timeoutMs / 1000)} s`);
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return new GrantError(`${message}${cause}`);
}

function describe(description: string | null | undefined): string {
  return description === null || description === undefined || description === '' ? '' : `: ${description}`;
}

function withTimeout(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function abortError(signal: AbortSignal): Error {
  const error = new Error(signal.reason instanceof Error ? signal.reason.message : 'aborted');
  error.name = 'AbortError';
  return error;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal ?? new AbortController().signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
