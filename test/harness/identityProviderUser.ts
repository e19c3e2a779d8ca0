// A scripted person at the demo identity provider (samples/demo-api/identityProvider.ts): it
// follows the provider's pages over plain HTTP with a cookie jar, signs in, and either hands back
// the redirect to the client (Authorization Code, Implicit) or approves a device (Device
// Authorization). Tests of OAuth clients use it where a browser would stand.
import { CookieJar } from 'tough-cookie';
import { demoCredentials } from '../../samples/demo-api/login';

export interface UserCredentials {
  readonly username: string;
  readonly password: string;
}

/** Pages the script passes before giving up, so a redirect loop fails instead of hanging. */
const maxSteps = 20;

interface PageForm {
  readonly id: string | undefined;
  readonly action: string;
  readonly fields: ReadonlyMap<string, string>;
  readonly fieldNames: ReadonlySet<string>;
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`, 'i').exec(tag);
  return match === null ? undefined : decodeHtml(match[1]);
}

function decodeHtml(text: string): string {
  return text.replace(/&#(\d+);|&amp;|&lt;|&gt;|&quot;/g, (entity, code: string | undefined) =>
    code !== undefined ? String.fromCharCode(Number(code)) : ({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"' } as Record<string, string>)[entity],
  );
}

/** The forms of one of the provider's pages (its own markup, so a small reader suffices). */
function formsOf(html: string, pageUrl: string): PageForm[] {
  return [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/gi)].map(([form]) => {
    const openingTag = /^<form\b[^>]*>/i.exec(form)?.[0] ?? '';
    const fields = new Map<string, string>();
    const fieldNames = new Set<string>();
    for (const [input] of form.matchAll(/<input\b[^>]*>/gi)) {
      const name = attribute(input, 'name');
      if (name === undefined) continue;
      fieldNames.add(name);
      fields.set(name, attribute(input, 'value') ?? '');
    }
    return { id: attribute(openingTag, 'id'), action: new URL(attribute(openingTag, 'action') ?? pageUrl, pageUrl).href, fields, fieldNames };
  });
}

/** A page's visible text, short, for error messages. */
function pageText(html: string): string {
  const text = html
    .replace(/<(style|script)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return decodeHtml(text).slice(0, 300);
}

function errorOnPage(html: string): string | undefined {
  const match = /<p class="error"[^>]*>([\s\S]*?)<\/p>/i.exec(html);
  return match === null ? undefined : pageText(match[1]);
}

/** One browser: cookies kept between requests, redirects seen one by one. */
class ScriptedBrowser {
  private readonly jar = new CookieJar();

  async get(url: string): Promise<Response> {
    return this.send(url, { method: 'GET' });
  }

  async post(url: string, fields: ReadonlyMap<string, string>): Promise<Response> {
    return this.send(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams([...fields]).toString() });
  }

  private async send(url: string, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<Response> {
    const cookie = await this.jar.getCookieString(url);
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, ...(cookie === '' ? {} : { Cookie: cookie }) } });
    for (const setCookie of response.headers.getSetCookie()) await this.jar.setCookie(setCookie, url);
    return response;
  }
}

/** The state of a walk through the provider's pages. */
interface Step {
  readonly url: string;
  readonly response: Response;
}

interface Page {
  readonly url: string;
  readonly html: string;
  readonly forms: readonly PageForm[];
}

/**
 * One person with one browser: the provider's session cookie lasts between flows, so a second
 * authorization by the same user signs in no more (as in a real browser).
 */
export class IdentityProviderUser {
  private readonly browser = new ScriptedBrowser();
  /** How many times the sign-in form was filled in. */
  signIns = 0;

  constructor(private readonly credentials: UserCredentials = demoCredentials) {}

  /**
   * Opens `authorizationUrl`, signs in if asked, and returns the Location that sends the browser
   * back to the client's redirect URI, with `code` and `state` (or, for Implicit, a fragment),
   * without requesting it.
   */
  async authorize(authorizationUrl: string): Promise<string> {
    const providerOrigin = new URL(authorizationUrl).origin;
    let signedIn = false;
    return this.walk<string>(
      authorizationUrl,
      async (page) => {
        const afterSignIn = await this.signInIfAsked(page, signedIn);
        if (afterSignIn !== undefined) {
          signedIn = true;
          return afterSignIn;
        }
        throw new Error(`the identity provider showed a page with no sign-in form at ${page.url}: ${errorOnPage(page.html) ?? pageText(page.html)}`);
      },
      (target) => (target.origin === providerOrigin ? undefined : target.href),
    );
  }

  /**
   * Approves a Device Authorization as the user would on another device: opens `verificationUri`
   * (or `verification_uri_complete`, which carries the code), enters `userCode`, confirms, and
   * signs in if asked. Resolves once the provider says the device is signed in.
   */
  async approveDevice(verificationUri: string, userCode: string): Promise<void> {
    let signedIn = false;
    let codeEntered = false;
    await this.walk<true>(
      verificationUri,
      async (page) => {
        const afterSignIn = await this.signInIfAsked(page, signedIn);
        if (afterSignIn !== undefined) {
          signedIn = true;
          return afterSignIn;
        }
        const codeForm = page.forms.find((form) => form.id === 'op.deviceInputForm');
        if (codeForm !== undefined) {
          if (codeEntered) throw new Error(`the identity provider refused the user code ${userCode}: ${errorOnPage(page.html) ?? pageText(page.html)}`);
          codeEntered = true;
          const fields = new Map(codeForm.fields);
          fields.set('user_code', userCode);
          return { url: codeForm.action, response: await this.browser.post(codeForm.action, fields) };
        }
        // The confirmation form, or the page that posts a code from verification_uri_complete by script.
        const filledForm = page.forms.find((form) => form.fields.has('user_code') && form.fields.has('xsrf'));
        if (filledForm !== undefined) return { url: filledForm.action, response: await this.browser.post(filledForm.action, filledForm.fields) };
        if (/<h1>Device connected<\/h1>/.test(page.html)) return { done: true };
        throw new Error(`the identity provider showed an unexpected page at ${page.url}: ${errorOnPage(page.html) ?? pageText(page.html)}`);
      },
      () => undefined,
    );
  }

  /**
   * Walks from `startUrl` through redirects and the provider's pages, answering each page with
   * `answer` (the next request, or a value to stop with) until `leaveAt` stops at a redirect.
   */
  private async walk<T>(startUrl: string, answer: (page: Page) => Promise<Step | { done: T }>, leaveAt: (target: URL) => T | undefined): Promise<T> {
    let step: Step = { url: startUrl, response: await this.browser.get(startUrl) };
    for (let count = 0; count < maxSteps; count++) {
      const { url, response } = step;
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null) {
        await response.body?.cancel();
        const target = new URL(location, url);
        const leaving = leaveAt(target);
        if (leaving !== undefined) return leaving;
        step = { url: target.href, response: await this.browser.get(target.href) };
        continue;
      }
      const html = await response.text();
      if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) {
        throw new Error(`the identity provider answered ${url} with ${response.status} ${response.headers.get('content-type') ?? 'no content type'}, not a page: ${html.slice(0, 300)}`);
      }
      const next = await answer({ url, html, forms: formsOf(html, url) });
      if ('done' in next) return next.done;
      step = next;
    }
    throw new Error(`gave up after ${maxSteps} pages and redirects from ${startUrl}`);
  }

  /** Fills and submits the sign-in form if this page is one; a second form in one flow means it was refused. */
  private async signInIfAsked(page: Page, alreadyTried: boolean): Promise<Step | undefined> {
    const loginForm = page.forms.find((form) => form.fieldNames.has('username') && form.fieldNames.has('password'));
    if (loginForm === undefined) return undefined;
    if (alreadyTried) throw new Error(`the identity provider refused to sign in ${this.credentials.username}: ${errorOnPage(page.html) ?? pageText(page.html)}`);
    this.signIns++;
    const fields = new Map(loginForm.fields);
    fields.set('username', this.credentials.username);
    fields.set('password', this.credentials.password);
    return { url: loginForm.action, response: await this.browser.post(loginForm.action, fields) };
  }
}

/** {@link IdentityProviderUser.authorize} by a new user (a fresh browser) who signs in as `credentials`. */
export function authorizeAsUser(authorizationUrl: string, credentials: UserCredentials = demoCredentials): Promise<string> {
  return new IdentityProviderUser(credentials).authorize(authorizationUrl);
}

/** {@link IdentityProviderUser.approveDevice} by a new user (a fresh browser) who signs in as `credentials`. */
export function approveDeviceAsUser(verificationUri: string, userCode: string, credentials: UserCredentials = demoCredentials): Promise<void> {
  return new IdentityProviderUser(credentials).approveDevice(verificationUri, userCode);
}
