// The exchange policy: how one request becomes one or more hops. It follows redirects (each hop
// with its own cookies), answers a Digest challenge once, signs each hop with AWS Signature V4
// when asked (never past a redirect to another origin), and retries connection failures of
// idempotent requests; the transport under it only does round trips, and the session above it
// only keeps state. Like `requests`' `resolve_redirects`, it is a unit of its own.
import { digestAuthorization, parseDigestChallenge, type DigestCredentials } from './auth';
import { hideAwsSecrets, payloadHash, signAwsHop, writesPayloadHash, type AwsSigning } from './awsSignature';
import { EngineFailure } from './errors';
import type { Exchange, PreparedRequest } from './model';
import { keepHeaderOnRedirect } from './outgoingHeaders';
import { followRedirect, isRedirect } from './redirects';
import { withRetries } from './retry';
import type { TimingRecorder } from './timings';
import { headerValues, type HeaderList, type Hop, type HopContext, type HopResponse, type OutgoingBody, type OutgoingHop, type Transport } from './transport';

/** A hop ready for the wire, and how to make its body again for a retry. */
export interface PreparedHop {
  readonly outgoing: OutgoingHop;
  readonly bodySize: number;
  /** A fresh body for a retry (a stream cannot be sent twice). */
  readonly bodyAgain: () => OutgoingBody | undefined;
}

/** What the policy asks of the session that owns the state. */
export interface PolicySession {
  /** The transport for a hop (by scheme and the request's HTTP version); may add a warning. */
  transportFor(url: URL, request: PreparedRequest, warnings: string[]): Transport;
  /** Headers exactly as the hop sends them (header rules, cookies from the jar, body length) and its body. */
  prepareHop(hop: Hop, initiator: URL, request: PreparedRequest, warnings: string[]): Promise<PreparedHop>;
  /** Stores a hop's Set-Cookie headers as they arrive; `settle` waits for the jar and saves it. */
  cookieSink(hop: Hop, initiator: URL, request: PreparedRequest): { readonly onHeaders: (headers: HeaderList) => void; settle(warnings: string[]): Promise<void> };
  readonly retryDelayMs: number;
}

/** How far an exchange got: read by the session when a hop fails, for the error and the request shown. */
export interface ExchangeProgress {
  /** The last hop's request as sent (the written request before the first hop). */
  sent: Exchange['request'];
  /** Each redirect followed, in order. */
  readonly redirects: { status: number; url: string }[];
  /** The host a failure is about. */
  target: URL | undefined;
}

/** What the hops of one request need besides the session. */
export interface ExchangeRun {
  readonly request: PreparedRequest;
  readonly initiator: URL;
  readonly digest: DigestCredentials | undefined;
  /** AWS Signature Version 4 credentials: each hop is signed for its own URL. */
  readonly aws: AwsSigning | undefined;
  /** The time signatures are made at. */
  readonly now: () => Date;
  readonly timings: TimingRecorder;
  readonly signal: AbortSignal | undefined;
  readonly observer: HopContext['observer'];
  readonly warnings: string[];
  readonly progress: ExchangeProgress;
}

/** Sends `run.request` hop by hop until a final response; throws the failure of the hop that failed. */
export async function exchangeHops(session: PolicySession, run: ExchangeRun, firstHop: Hop): Promise<HopResponse> {
  const { request, initiator, timings, warnings, progress } = run;
  let hop = firstHop;
  let digestAnswered = false;
  let aws = run.aws;
  for (;;) {
    progress.target = hop.url;
    const transport = session.transportFor(hop.url, request, warnings);
    const unsigned = await session.prepareHop(hop, initiator, request, warnings);
    // Signed last, over the headers exactly as the hop sends them (cookies and length included).
    const prepared = aws === undefined ? unsigned : await signedHop(unsigned, aws, run.now());
    progress.sent = { method: hop.method, url: hop.url.href, headers: hideAwsSecrets(prepared.outgoing.headers), bodySize: prepared.bodySize };
    // Cookies are stored as soon as headers arrive, so a body that fails later never loses them.
    const cookies = session.cookieSink(hop, initiator, request);
    const context: HopContext = { request, timings, signal: run.signal, onHeaders: cookies.onHeaders, observer: run.observer };
    let response: HopResponse;
    try {
      response = await withRetries(
        { method: hop.method, retries: request.options.retries, baseDelayMs: session.retryDelayMs, signal: run.signal ?? neverAborted },
        async (retry) => {
          if (retry === 0) return transport.roundTrip(prepared.outgoing, context);
          timings.nextHop();
          return transport.roundTrip({ ...prepared.outgoing, body: prepared.bodyAgain() }, context);
        },
      );
    } finally {
      await cookies.settle(warnings);
    }
    warnings.push(...response.connectionWarnings);
    if (response.status === 401 && run.digest !== undefined && !digestAnswered) {
      const challenge = parseDigestChallenge(headerValues(response.headers, 'www-authenticate'));
      if (challenge === undefined) {
        warnings.push(`${hop.url.host} answered 401 without a Digest challenge Courier can answer (MD5 or SHA-256 with qop=auth)`);
        return response;
      }
      digestAnswered = true;
      const authorization = digestAuthorization(challenge, run.digest, hop.method, `${hop.url.pathname}${hop.url.search}`);
      hop = { ...hop, headers: [...hop.headers, ['Authorization', authorization]] };
      timings.nextHop();
      continue;
    }
    if (!request.options.followRedirects || !isRedirect(response.status)) return response;
    progress.redirects.push({ status: response.status, url: hop.url.href });
    if (progress.redirects.length > request.options.maxRedirects) {
      throw new EngineFailure(
        'too-many-redirects',
        `stopped after ${request.options.maxRedirects} redirects (last: ${response.status} from ${hop.url.href}); raise maxRedirects or check for a redirect loop`,
      );
    }
    const next = followRedirect(response.status, headerValues(response.headers, 'location')[0], hop.url, hop.method);
    if (next.crossOrigin && aws !== undefined) {
      aws = undefined;
      warnings.push(`the redirect to ${next.url.origin} was sent without the AWS signature: credentials never follow a redirect to another origin`);
    }
    hop = {
      url: next.url,
      method: next.method,
      headers: hop.headers.filter(([name]) => keepHeaderOnRedirect(name.toLowerCase(), next.keepBody, next.crossOrigin)),
      body: next.keepBody ? hop.body : undefined,
    };
    timings.nextHop();
  }
}

/** `prepared` with the AWS signature's headers added; the body is read once to hash it unless the request wrote X-Amz-Content-Sha256. */
async function signedHop(prepared: PreparedHop, signing: AwsSigning, now: Date): Promise<PreparedHop> {
  const { hop, headers } = prepared.outgoing;
  let hash = '';
  if (!writesPayloadHash(headers)) {
    try {
      hash = await payloadHash(hop.body);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new EngineFailure('file', `${signing.where}: cannot read the body to sign it (${reason}); check the path after "<"`);
    }
  }
  const signed = signAwsHop({ method: hop.method, url: hop.url, headers, payloadHash: hash }, signing, now);
  return { ...prepared, outgoing: { ...prepared.outgoing, headers: signed.headers } };
}

/** Passed where a signal is required but nothing can abort. */
const neverAborted = new AbortController().signal;
