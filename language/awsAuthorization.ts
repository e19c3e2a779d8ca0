// AWS Signature Version 4 credentials as REST Client and httpYac write them in an Authorization
// header: `AWS <accessKeyId> <secretKey> [token:<sessionToken>] [region:<region>] [service:<service>]`.
// One reading for the engine (which signs with them) and diagnostics (which check them). Messages
// never repeat a word of the value: it holds a secret, and engine errors reach reports and history.
import { closestName } from './data/spelling';

/** What an `AWS` Authorization value gives the signer. */
export interface AwsAuthorization {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string | undefined;
  /** Undefined: told from the host (`dynamodb.eu-west-1.amazonaws.com`), else `us-east-1`. */
  readonly region: string | undefined;
  /** Undefined: told from the host (`s3.eu-west-1.amazonaws.com` is `s3`). */
  readonly service: string | undefined;
}

/** What is wrong with a value, and where (offsets in the value). */
export interface AwsAuthorizationProblem {
  /** `missing-credentials` cannot be judged while `{{references}}` may expand to several words. */
  readonly kind: 'missing-credentials' | 'unexpected-word' | 'unknown-option' | 'empty-option' | 'duplicate-option';
  readonly message: string;
  readonly start: number;
  readonly end: number;
  /** For an unknown option close to a known one: the known one, e.g. `region:`. */
  readonly suggestion?: string;
}

export interface AwsAuthorizationReading {
  /** Undefined when a problem makes the value unusable. */
  readonly credentials: AwsAuthorization | undefined;
  readonly problems: readonly AwsAuthorizationProblem[];
}

/** The options REST Client and httpYac read after the two keys. */
export const AWS_AUTHORIZATION_OPTIONS = ['token', 'region', 'service'] as const;
type OptionName = (typeof AWS_AUTHORIZATION_OPTIONS)[number];

/** What each option is, for completion. */
export const AWS_AUTHORIZATION_OPTION_HELP: Readonly<Record<OptionName, { readonly placeholder: string; readonly description: string }>> = {
  token: { placeholder: 'sessionToken', description: 'The session token of temporary credentials (STS, SSO): sent as X-Amz-Security-Token and signed.' },
  region: { placeholder: 'region', description: 'The region to sign for, e.g. `eu-west-1`. Told from `*.amazonaws.com` hosts when left out; `us-east-1` otherwise.' },
  service: { placeholder: 'service', description: 'The service to sign for, e.g. `execute-api`, `s3`, `dynamodb`. Told from `*.amazonaws.com` hosts when left out; needed for any other host.' },
};

const optionsHelp = 'token:<sessionToken>, region:<region> or service:<service>';
const usage = 'write "AWS <accessKeyId> <secretKey>", then token:<sessionToken>, region:<region> and service:<service> where needed';

/** True when `value` uses the `AWS` scheme (not `AWS4-HMAC-SHA256`, a signature made elsewhere). */
export function isAwsAuthorization(value: string): boolean {
  return /^\s*AWS(?:\s|$)/i.test(value);
}

interface Word {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Words of the value split at whitespace, a `{{ reference }}` (spaces and all) staying one word. */
function wordsOf(value: string): Word[] {
  return [...value.matchAll(/(?:\{\{.*?\}\}|\S)+/g)].map((match) => ({ text: match[0], start: match.index, end: match.index + match[0].length }));
}

/** Reads an `AWS ...` value; problems name what to write instead. */
export function parseAwsAuthorization(value: string): AwsAuthorizationReading {
  const [scheme, ...words] = wordsOf(value);
  const problems: AwsAuthorizationProblem[] = [];
  const options = new Map<OptionName, string>();
  const positional: Word[] = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index];
    if (word === undefined) break;
    const option = /^([A-Za-z][\w-]*):(.*)$/s.exec(word.text);
    if (option === null) {
      if (options.size > 0 || positional.length >= 2) {
        problems.push({ kind: 'unexpected-word', message: `only options may follow the secret key: ${optionsHelp}`, start: word.start, end: word.end });
      } else {
        positional.push(word);
      }
      continue;
    }
    const name = (option[1] ?? '').toLowerCase();
    let text = option[2] ?? '';
    const known = AWS_AUTHORIZATION_OPTIONS.find((candidate) => candidate === name);
    if (known === undefined) {
      const suggestion = closestName(name, AWS_AUTHORIZATION_OPTIONS, (candidate) => candidate.toLowerCase());
      const hint = suggestion === undefined ? `write ${optionsHelp}` : `did you mean ${suggestion}:? The options are ${optionsHelp}`;
      const span = { start: word.start, end: word.start + (option[1] ?? '').length + 1 };
      const message = `"${option[1]}:" is not an AWS option: ${hint}`;
      problems.push(suggestion === undefined ? { kind: 'unknown-option', message, ...span } : { kind: 'unknown-option', message, ...span, suggestion: `${suggestion}:` });
      continue;
    }
    // httpYac accepts a space after the colon (`token: abc`).
    const next = words[index + 1];
    if (text === '' && next !== undefined && !/^[A-Za-z][\w-]*:/.test(next.text)) {
      text = next.text;
      index++;
    }
    if (text === '') {
      problems.push({ kind: 'empty-option', message: `${known}: needs a value: write ${known}:<${known === 'token' ? 'sessionToken' : known}>`, start: word.start, end: word.end });
    } else if (options.has(known)) {
      problems.push({ kind: 'duplicate-option', message: `${known}: is given twice; keep one`, start: word.start, end: word.end });
    } else {
      options.set(known, text);
    }
  }
  const [accessKeyId, secretAccessKey] = positional;
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    const at = scheme ?? { start: 0, end: value.length };
    const what = accessKeyId === undefined ? 'the access key id and the secret key are missing' : 'the secret key is missing';
    problems.push({ kind: 'missing-credentials', message: `AWS Signature Version 4: ${what}: ${usage}`, start: at.start, end: (accessKeyId ?? at).end });
  }
  if (problems.length > 0 || accessKeyId === undefined || secretAccessKey === undefined) return { credentials: undefined, problems };
  return {
    credentials: {
      accessKeyId: accessKeyId.text,
      secretAccessKey: secretAccessKey.text,
      sessionToken: options.get('token'),
      region: options.get('region'),
      service: options.get('service'),
    },
    problems,
  };
}
