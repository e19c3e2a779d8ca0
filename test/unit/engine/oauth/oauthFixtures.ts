// What the OAuth tests share: a configuration with every key at its default (each test names what
// it changes), and a front end where nobody can take part in a grant.

import type { AuthConfiguration } from '../../../../language/authConfigurations';
import type { AuthInteraction } from '../../../../engine/oauth/browserStep';

/** A Client Credentials configuration `demo`, no endpoints or client yet: `overrides` says the rest. */
export function authConfiguration(overrides: Partial<AuthConfiguration>): AuthConfiguration {
  return {
    id: 'demo',
    grantType: 'Client Credentials',
    authUrl: undefined,
    tokenUrl: undefined,
    redirectUrl: undefined,
    deviceAuthUrl: undefined,
    clientId: '',
    clientSecret: undefined,
    clientAuthentication: 'none',
    scope: undefined,
    username: undefined,
    password: undefined,
    pkce: undefined,
    customParameters: [],
    acquireAutomatically: true,
    useIdToken: false,
    ...overrides,
  };
}

/** `courier run --no-interactive`: a grant that needs the user fails at once. */
export const nobodyToAsk: AuthInteraction = {
  interactive: false,
  timeoutMs: 1000,
  openBrowser: () => Promise.reject(new Error('no browser in this test')),
  showDeviceCode: () => () => undefined,
};
