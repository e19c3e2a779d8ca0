// Stable problem codes. Users, tests and quick fixes match on these strings:
// never rename one; add new ones instead.

export enum Code {
  // Syntax (found by the parser)
  HeaderMissingColon = 'http.header.missing-colon',
  HeaderEmptyName = 'http.header.empty-name',
  HeaderInvalidName = 'http.header.invalid-name',
  VariableUnterminated = 'http.variable.unterminated',
  VariableInvalid = 'http.variable.invalid',
  HandlerUnterminated = 'http.handler.unterminated',
  RequestMissingTarget = 'http.request.missing-target',
  VariableDefinitionInvalid = 'http.variable-definition.invalid',
  /** `{{users[*].name}}`: an expression httpYac or kulala evaluates, which Courier does not (a warning). */
  VariableUnsupported = 'http.variable.unsupported',

  // Semantics (found by the language service)
  MethodUnknown = 'http.method.unknown',
  UrlInvalid = 'http.url.invalid',
  HostMissing = 'http.url.host-missing',
  ContentLengthComputed = 'http.header.content-length-computed',
  HeaderDuplicate = 'http.header.duplicate',
  BodyOnGetOrHead = 'http.body.unexpected',
  BodyInvalidJson = 'http.body.invalid-json',
  VariableUndefined = 'http.variable.undefined',
  /** Only environments define the variable, and none is selected. */
  VariableNeedsEnvironment = 'http.variable.needs-environment',
  RequestUndefined = 'http.request.undefined',
  DirectiveUnknown = 'http.directive.unknown',
  MultipartNoBoundary = 'http.multipart.no-boundary',
  FileMissing = 'http.file.missing',
  /** `run #` without a name. */
  RunMissingName = 'http.run.missing-name',
  /** `run #Name` or `# @ref Name` naming a request that neither this file nor its imports define. */
  RunUnknownRequest = 'http.run.unknown-request',
  /** A known directive whose value cannot be read (`# @loop for`, `# @sleep soon`). */
  DirectiveInvalidValue = 'http.directive.invalid-value',
  EnvironmentFileInvalid = 'http.env.invalid',
  /** A key of a `Security.Auth` entry JetBrains does not have, in an env file (a warning; a fix when it is misspelt). */
  EnvironmentAuthUnknownKey = 'http.env.auth.unknown-key',
  /** A key the entry's grant type needs, given by none of the env files for that environment. */
  EnvironmentAuthMissingKey = 'http.env.auth.missing-key',
  /** A `Security.Auth` value of the wrong kind (`"PKCE": "yes"`, an unknown grant type). */
  EnvironmentAuthInvalidValue = 'http.env.auth.invalid-value',
  /** `{{$auth.token("id")}}` naming a configuration no environment defines. */
  AuthUnknownConfiguration = 'http.auth.unknown-configuration',
  /** A value of an environment's `SSLConfiguration` of the wrong type (an error: the environment cannot be used). */
  SslConfigurationInvalid = 'http.env.ssl-invalid',
  /** A key `SSLConfiguration` does not have, usually misspelt (a warning: it is ignored). */
  SslConfigurationUnknownKey = 'http.env.ssl-unknown-key',
  /** A client certificate or key file of `SSLConfiguration` that does not exist (a warning: sending fails until it does). */
  SslCertificateMissing = 'http.env.ssl-certificate-missing',
  ContentTypeConflict = 'http.header.content-type-conflict',
  UrlSchemeUnsupported = 'http.url.unsupported-scheme',
  /** A `GRPC` request's target that is not `host:port/package.Service/Method` (language/grpcTarget.ts). */
  GrpcInvalidTarget = 'http.grpc.invalid-target',
  ScriptSyntaxError = 'http.script.syntax-error',
  ScriptLua = 'http.script.lua',

  // httpYac assertion lines `?? target [operator expected]` (language/assertions.ts)
  AssertionMissingTarget = 'http.assertion.missing-target',
  AssertionUnknownTarget = 'http.assertion.unknown-target',
  AssertionMissingArgument = 'http.assertion.missing-argument',
  AssertionInvalidArgument = 'http.assertion.invalid-argument',
  AssertionMissingOperator = 'http.assertion.missing-operator',
  AssertionUnknownOperator = 'http.assertion.unknown-operator',
  AssertionMissingValue = 'http.assertion.missing-value',
  AssertionUnexpectedValue = 'http.assertion.unexpected-value',

  // httpYac script blocks `{{` ... `}}` (language/httpYacScripts.ts)
  ScriptBlockUnterminated = 'http.script-block.unterminated',
  ScriptBlockEventUnsupported = 'http.script-block.unsupported-event',
  ScriptNodeOnly = 'http.script.node-only',

  // `Authorization: AWS <accessKeyId> <secretKey> [token:] [region:] [service:]` (language/awsAuthorization.ts)
  /** A value Courier cannot sign with: a key missing, a word after the secret key, an option empty or repeated. */
  AwsAuthorizationInvalid = 'http.auth.aws-invalid',
  /** An option other than `token:`, `region:` and `service:`. */
  AwsAuthorizationUnknownOption = 'http.auth.aws-unknown-option',

  // Requests checked against the workspace's OpenAPI spec (language/openapi/openApiDiagnostics.ts)
  /** A path none of the spec's paths match, for a URL of the spec's servers. */
  OpenApiUnknownPath = 'http.openapi.unknown-path',
  /** A method the matched path has no operation for. */
  OpenApiUnknownMethod = 'http.openapi.unknown-method',
  /** A required query or header parameter the request does not send. */
  OpenApiMissingParameter = 'http.openapi.missing-parameter',
  /** A query parameter the operation does not list (when it lists any). */
  OpenApiUnknownQueryParameter = 'http.openapi.unknown-query-parameter',
  /** No body, where the operation requires one. */
  OpenApiMissingBody = 'http.openapi.missing-body',
  /** A JSON body without a property its schema requires. */
  OpenApiMissingProperty = 'http.openapi.missing-property',
  /** A JSON body value its schema does not allow (wrong type, not in the enum, out of range, not allowed). */
  OpenApiBodyMismatch = 'http.openapi.body-mismatch',
  /** An OpenAPI file that cannot be read (on the spec file itself). */
  OpenApiSpecInvalid = 'http.openapi.spec-invalid',

  // The request forms that stream (WEBSOCKET, WS, SSE, GRPC; language/diagnosticsMessages.ts and diagnosticsTarget.ts)
  /** A target whose scheme does not fit the method: `GET ws://` (write WEBSOCKET), `WEBSOCKET http://` (write ws://), `SSE ws://`. */
  UrlSchemeMethodMismatch = 'http.url.scheme-mismatch',
  /** `===` or `=== wait-for-server` in a request that sends no messages, which sends the line as body text. */
  MessageSeparatorUnexpected = 'http.body.unexpected-separator',
  /** A line meant as a separator (`=== wait-for-sever`, `====`) in a WebSocket or gRPC body, sent as message text. */
  MessageSeparatorInvalid = 'http.body.invalid-separator',
  /** A handshake header the WebSocket client writes itself (`Upgrade`, `Sec-WebSocket-Key`...): the one written is not sent. */
  HeaderWebSocketHandshake = 'http.header.websocket-handshake',
}
