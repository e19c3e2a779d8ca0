// The text of `courier --help`, `courier run --help` and `courier import curl|postman --help`. It is the CLI's reference:
// every decision a user might wonder about (output files, exit codes) is stated here.

export const generalHelp = `courier: send the requests of .http files from the command line

Usage:
  courier run <file.http...> [options]   send requests and report the results
  courier run --help                     options of \`run\`
  courier import curl [ARGS...]          a curl command as a .http request
                                         (courier import curl --help)
  courier import postman <collection.json> [--out DIR] [--environment ENV.json]
                                         convert a Postman collection to .http files
  courier import openapi <spec.yaml> [--out DIR]
                                         .http files with a request per operation
  courier --version                      print the version

Example:
  courier run api.http --env staging --reporter junit > report.xml
`;

export const runHelp = `Usage: courier run <file.http...> [options]

Sends the requests of each file in order, sharing one session (connection pools
and cookies) across all files. Requests named by others ({{login.response...}})
are sent first.

Select requests (default: all):
  --all                  every request (the default)
  --name NAME            the request named NAME (# @name NAME); repeatable
  --line N               the request containing line N (1-based; one file only)

Variables:
  --env NAME             environment from http-client.env.json (and the private
                         and .env files), searched from each file's folder up to
                         the current directory
  --var key=value        set a variable, overriding every other source; repeatable

Sending:
  --timeout SECONDS      total time allowed per request (a @timeout directive wins)
  --script-timeout SECONDS
                         time allowed each pre-request script and response
                         handler (default 5); a script past it is stopped and
                         fails its request, and the run goes on
  --insecure, -k         do not verify TLS certificates (a warning is printed)
  --cert-passphrase PASSPHRASE
                         the passphrase of the client certificate key an
                         environment's SSLConfiguration marks with
                         hasCertificatePassphrase; without it the passphrase is
                         asked on the terminal (not with --no-interactive),
                         and a run without one (CI) fails those requests.
                         Other users of the machine may see a command line:
                         pass it from a secret variable
  --cookie-jar FILE      load cookies from FILE and save them back after the run
                         (default: cookies live in memory for this run only)
  --token-store FILE     keep OAuth tokens ({{$auth.token("id")}}) in FILE between
                         runs, readable by you only (default: memory, this run)
  --no-interactive       fail an OAuth grant that needs a browser or a device
                         code instead of printing it and waiting (the default
                         when CI is set; --interactive waits even then)
  --proto-path DIR       a folder where imports of # @proto files are looked up
                         (after the .proto file's own folder); repeatable

OpenAPI:
  --openapi FILE         check each response against this OpenAPI 3.0/3.1 or
                         Swagger 2.0 spec (JSON or YAML): a status it does not
                         document, a Content-Type it does not list, or a JSON body
                         that breaks the schema is a failed test; repeatable.
                         Without it, the spec named openapi.*, swagger.* or
                         *.openapi.* nearest the .http file's folder (up to the
                         current directory) is used when there is one
  --no-openapi           check no response against a spec (# @no-openapi does it
                         for one request)

Reporting:
  --reporter NAME        pretty (default), json or junit
                           pretty  one coloured line per request (colour on a
                                   terminal or with FORCE_COLOR; never with NO_COLOR)
                           json    one JSON object per line per request sent: file,
                                   name, line, method, url, status, ok, error,
                                   timings, size, tests, log
                           junit   JUnit XML on stdout once the run ends, one
                                   testcase per test (request › test) and per
                                   request without tests; redirect it to a
                                   file: --reporter junit > report.xml
  --verbose, -v          pretty: also print request and response headers and body
  --output FILE, -o      save the response body to FILE (overwritten). With several
                         requests FILE holds the last body; use --output DIR/ (a
                         trailing slash or an existing folder) for one file per
                         request, named after the request. Bodies are streamed to
                         disk. \`>> file\` in the .http file saves too (a new name
                         like file-1.json if it exists; \`>>! file\` overwrites).

Failing:
  --fail                 treat an HTTP status >= 400 (and a gRPC status other than
                         OK) as a failure
  --bail                 stop at the first failure
  --diagnostic-severity CODE=LEVEL
                         what a problem code of the .http file counts as:
                         error, warning, information, hint or off, as in the
                         courier.diagnostics.severity setting; repeatable. Only
                         errors in a selected request stop the run before
                         sending (exit 2); with
                         --diagnostic-severity http.handler.unterminated=warning
                         the run goes on, and a request the problem still breaks
                         fails on its own (exit 1)

Tests:
  client.test(...) in response handlers (> {% %}, > file.js) and httpYac's
  ?? lines (?? status == 200) are tests: shown under their request, and a
  failed one fails the run. Scripts run in a sandbox (QuickJS in WebAssembly):
  no require, process, files or network; 64 MB and --script-timeout each.

Exit codes:
  0  every request got a response and every test passed (and, with --fail,
     none had status >= 400)
  1  a request got no response (network, TLS, timeout, undefined variable), a
     test or a script failed, or with --fail a status >= 400
  2  bad usage, or a file that cannot be read or has a syntax error in a
     selected request (reported as file:line:column)
`;

export const importCurlHelp = `Usage: courier import curl [--out FILE] [--] [CURL ARGUMENTS...]

Writes the .http request that sends what the curl command sends. The command is
the arguments after \`curl\`, or, with none or \`-\`, the command read from
standard input (pasted as copied: quotes, $'...', backslash or cmd ^ line
continuations):
  courier import curl -X POST https://api.example.com/items --json '{"a":1}'
  pbpaste | courier import curl > request.http

  --out FILE    write the request to FILE (replaced) instead of stdout; the
                paths of files the command sends are rewritten relative to
                FILE's folder, as a .http file reads them from there

Files the command names are read from the current directory where curl would
read them (-d @file loses its line breaks, as with curl). An option a .http
file cannot express (a proxy, a cookie file, -A "", URL globbing, ...) is
reported on stderr as "courier: warning: ...", never dropped silently.

Exit codes:
  0  imported exactly
  1  imported, with warnings on stderr about what is not sent as curl sends it
  2  bad usage, or a command that cannot be read (no URL, an unclosed quote, an
     option without its value)
`;

export const importPostmanHelp = `Usage: courier import postman <collection.json> [options]

Converts a Postman collection (format v2.1 or v2.0; export it from Postman as
Collection v2.1) into .http files and env files:
  - the collection's own requests go in <collection>.http, each folder's in
    <folder>.http, nested folders in a folder of the same name beside it;
  - each request gets a ### title and a # @name made from its name; its
    description, disabled headers, disabled query parameters and form fields,
    and its pre-request and test scripts become comments (Postman's pm.* API
    is not run: rewrite scripts as < {% %} / > {% %} or ?? lines);
  - :name path variables become {{name}}, their values file variables;
  - bodies: raw (Content-Type from its language), form-urlencoded, form-data
    (file parts as < path), binary file (< path), GraphQL;
  - auth, inherited from folders as in Postman: basic, bearer, digest, API key
    (header or query), AWS Signature V4 (Authorization: AWS ...); OAuth 2.0
    becomes a Security.Auth configuration in the env file and
    Authorization: Bearer {{$auth.token("id")}};
  - collection variables and the environment become one environment of
    http-client.env.json (named after the Postman environment, or "postman");
    secret values go to http-client.private.env.json.
What cannot be converted (Hawk, NTLM, OAuth 1.0, Postman-only
dynamic variables, settings...) is listed on stderr and written as a comment
where it was. Relative file paths are read from the output folder, as
Postman reads them from its working directory.

Options:
  --out DIR, -o          where to write (default: a folder named after the
                         collection, in the current directory)
  --environment FILE, -e a Postman environment (*.postman_environment.json)
  --force                replace files that exist (otherwise nothing is
                         written when one would be replaced)

Exit codes: 0 imported (notes on stderr do not fail it); 2 bad usage, or a
file that cannot be read or is not a Postman collection or environment.
`;

export const importOpenApiHelp = `Usage: courier import openapi <spec.yaml|spec.json> [--out DIR]

Writes .http files from an OpenAPI 3.0 or 3.1 spec or a Swagger 2.0 description
(JSON or YAML, $refs across files resolved):
  - one file per tag (<tag>.http; operations without a tag go in a file named
    after the spec's title), a request per operation, marked with the operation
    (# From OpenAPI: GET /items/{id}) and named by its operationId (# @name);
  - path, query, header and cookie parameters as {{variables}}, defined above
    the request with the schema's example, default or first enum value;
  - a JSON or form body from the media type's example, else made from the
    schema (its examples and defaults, then a value of each property's type);
  - http-client.env.json with an environment per server (baseUrl; server
    variables at their defaults).
Importing again into the same folder keeps your edits: operations already there
(found by their marker or their name) are left alone, new ones are appended at
the end of their file, and only missing environments are added. Each file is
written atomically.

Options:
  --out, -o DIR          the folder to write to (default: the current one)
  --help, -h             this text
`;
