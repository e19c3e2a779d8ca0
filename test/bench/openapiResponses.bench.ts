// `npm run bench` (`openapiResponses`): checking a 1 MB JSON response against its schema in GitHub's REST API description
// (the npm package @octokit/openapi, about 13 MB with its $refs): `GET /repos/{owner}/{repo}/issues`,
// an array of issues (each with its user, labels, milestone, reactions...), answered by the spec's
// own example issue repeated to 1 MB. Measured as the runner does it after a send: the whole
// `responseTests` call (JSON.parse of the body, the status, the Content-Type and the schema), and the
// schema check alone. Target: under 20 ms (median and p99 printed). The spec's load and the
// schema's first compile are printed too; they happen once per run (the validator is kept).

import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Exchange } from '../../engine/model';
import { responseTests } from '../../engine/openapi/responseValidation';
import { schemaViolations } from '../../engine/openapi/responseSchema';
import { loadOpenApiSpec } from '../../engine/openapi/specLoader';
import { median, percentile } from './measure';

const targetMs = 20;
const bodyBytes = 1024 * 1024;
const warmupRuns = 5;
const measuredRuns = 200;
const repositoryRequire = createRequire(join(process.cwd(), 'package.json'));

async function main(): Promise<void> {
  // From the repository (the benchmarks run there), wherever the bundle is.
  const specFile = repositoryRequire.resolve('@octokit/openapi/generated/api.github.com.json');
  const loadStart = performance.now();
  const spec = await loadOpenApiSpec(specFile);
  const loadMs = performance.now() - loadStart;
  const operation = spec.operations.find((candidate) => candidate.method === 'GET' && candidate.pathTemplate === '/repos/{owner}/{repo}/issues');
  if (operation === undefined) throw new Error('GitHub\'s spec has no GET /repos/{owner}/{repo}/issues');
  const media = operation.responses['200']?.content['application/json'];
  const schema = media?.schema;
  if (schema === undefined) throw new Error('GET /repos/{owner}/{repo}/issues documents no JSON schema for 200');

  // The spec's example of the response (an array of issues), repeated to 1 MB.
  const example = exampleIssues(specFile);
  const issues: unknown[] = [];
  let text = '[]';
  while (text.length < bodyBytes) {
    issues.push(...example);
    text = JSON.stringify(issues);
  }
  const body = new TextEncoder().encode(text);
  const exchange: Exchange = {
    request: { method: 'GET', url: 'https://api.github.com/repos/octocat/hello-world/issues', headers: [], bodySize: 0 },
    origin: { file: '/bench/github.http', line: 1, name: undefined },
    response: { status: 200, statusText: 'OK', httpVersion: '1.1', headers: [['content-type', 'application/json; charset=utf-8']], body: { size: body.length, encodedSize: body.length, prefix: body, file: undefined, contentType: 'application/json; charset=utf-8', charset: 'utf-8' } },
    redirects: [],
    timings: { total: 1 },
    error: undefined,
    warnings: [],
  };

  const firstStart = performance.now();
  const first = await responseTests(spec, operation, exchange);
  const firstMs = performance.now() - firstStart;
  const value = JSON.parse(text) as unknown;
  const whole: number[] = [];
  const schemaOnly: number[] = [];
  for (let run = 0; run < warmupRuns + measuredRuns; run++) {
    const start = performance.now();
    await responseTests(spec, operation, exchange);
    const wholeMs = performance.now() - start;
    const checkStart = performance.now();
    schemaViolations(schema, spec.version, value);
    const checkMs = performance.now() - checkStart;
    if (run >= warmupRuns) {
      whole.push(wholeMs);
      schemaOnly.push(checkMs);
    }
  }
  const format = (values: readonly number[]): string => `median ${median(values).toFixed(1)} ms, p90 ${percentile(values, 0.9).toFixed(1)} ms, p99 ${percentile(values, 0.99).toFixed(1)} ms`;
  console.log(`GitHub's REST API description: ${spec.operations.length} operations, loaded and dereferenced in ${loadMs.toFixed(0)} ms`);
  console.log(`response: ${issues.length} issues, ${(body.length / 1024 / 1024).toFixed(2)} MB; result: ${first.map((test) => `${test.outcome} ${test.name}`).join('; ')}`);
  console.log(`first check (compiles the schema): ${firstMs.toFixed(0)} ms`);
  console.log(`whole response check (parse + status + Content-Type + schema): ${format(whole)}`);
  console.log(`schema check alone: ${format(schemaOnly)}`);
  const within = (value: number): string => (value < targetMs ? 'within' : 'OVER');
  console.log(`target under ${targetMs} ms: median ${within(median(whole))}, p99 ${within(percentile(whole, 0.99))}`);
}

/** The example response GitHub's spec gives for the operation (components/examples/issue-items). */
function exampleIssues(specFile: string): unknown[] {
  const document = repositoryRequire(specFile) as { components: { examples: Record<string, { value: unknown }> } };
  const value = document.components.examples['issue-items']?.value;
  if (!Array.isArray(value)) throw new Error('GitHub\'s spec has no issue-items example');
  return value as unknown[];
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
