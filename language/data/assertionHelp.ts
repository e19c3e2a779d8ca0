// What each part of an httpYac `?? target [operator expected]` line means, for completion. The
// lists themselves (targets, operators, duration phases) are language/assertions.ts's.

import type { AssertionOperatorName, AssertionTargetKind } from '../assertions';

export const ASSERTION_TARGET_HELP: Readonly<Record<AssertionTargetKind, { readonly syntax: string; readonly description: string }>> = {
  status: { syntax: 'status', description: 'The status code, e.g. `?? status == 200`.' },
  header: { syntax: 'header NAME', description: 'The value of a response header (any case), e.g. `?? header content-type includes json`.' },
  body: { syntax: 'body [PATH]', description: 'The body, or the value at a property path or JSONPath in a JSON body, e.g. `?? body $.items[0].id exists`.' },
  duration: { syntax: 'duration [PHASE]', description: 'How long the exchange took in milliseconds (or one phase of it), e.g. `?? duration < 500`.' },
  js: { syntax: 'js EXPRESSION', description: 'The value of a JavaScript expression over `response`, e.g. `?? js response.parsedBody.items.length > 0`.' },
  xpath: { syntax: 'xpath EXPRESSION', description: 'The value of an XPath expression on an XML body, e.g. `?? xpath count(//item) == 3`.' },
};

export const ASSERTION_OPERATOR_HELP: Readonly<Record<AssertionOperatorName, string>> = {
  '==': 'Equal to the expected value, compared as the actual value’s type.',
  '!=': 'Not equal to the expected value.',
  '>': 'Greater than the expected number.',
  '>=': 'Greater than or equal to the expected number.',
  '<': 'Less than the expected number.',
  '<=': 'Less than or equal to the expected number.',
  startsWith: 'The text starts with the expected value.',
  endsWith: 'The text ends with the expected value.',
  includes: 'The text (or array) includes the expected value.',
  contains: 'The text (or array) contains the expected value (as `includes`).',
  exists: 'The value is present (takes no expected value).',
  isTrue: 'The value is `true` (takes no expected value).',
  isFalse: 'The value is `false` (takes no expected value).',
  isNumber: 'The value is a number (takes no expected value).',
  isBoolean: 'The value is a boolean (takes no expected value).',
  isString: 'The value is a string (takes no expected value).',
  isArray: 'The value is an array (takes no expected value).',
  matches: 'The text matches the expected regular expression.',
  sha256: 'The SHA-256 of the value equals the expected digest (hex or Base64).',
  sha512: 'The SHA-512 of the value equals the expected digest (hex or Base64).',
  md5: 'The MD5 of the value equals the expected digest (hex or Base64).',
};

export const DURATION_PHASE_HELP: Readonly<Record<string, string>> = {
  total: 'The whole exchange (the default).',
  dns: 'Resolving the host name.',
  connect: 'Opening the TCP connection.',
  tls: 'The TLS handshake.',
  firstByte: 'From sending to the first byte of the response.',
  download: 'From the first byte to the last.',
};
