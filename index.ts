/**
 * The typed public API of the package (`import type { ... } from 'dcr-conformance'`): the
 * scenario format, the target configuration, the report and its reporters, and the `use` fixture
 * contract. Types only: the command line (bin/dcr-conformance.js) is the way to run the harness.
 */
export type {
  // Scenario files (suites/README.md)
  ScenarioDoc,
  StepDoc,
  ActionName,
  TokenInput,
  RegisterInput,
  HttpInput,
  AuthorizeInput,
  ParallelInput,
  UseInput,
  Expectation,
  Level,
  // Targets (targets.yaml, harness/config/targets.schema.json)
  TargetConfig,
  ResolvedTarget,
  IatStrategy,
  LoginRecipe,
  LoginStep,
  ClientCredentials,
  // Results and the JSON report (reporters/report.schema.json)
  Outcome,
  Report,
  ReportCounts,
  ScenarioResult,
  StepResult,
  StepData,
  CheckResult,
  Exchange,
  Artifact,
  RequirementVerdict,
  RequirementVerdictName,
  RootCause,
  Blocker,
  ExpectationOutcome,
  ShardOfPlan,
  // Reporters
  Reporter,
  RunInfo,
} from './harness/types.ts'
// A reporter module named on `--reporter ./my-reporter.js` (harness/runner/custom-reporter.ts).
export type { ReporterFactory, ReporterModuleOptions } from './harness/runner/custom-reporter.ts'
// `use` fixtures (harness/actions/fixtures/fixture.ts) and what they receive and return.
export type { Fixture } from './harness/actions/fixtures/fixture.ts'
export type {
  ActionContext,
  ActionResult,
  HttpClient,
  HttpRequest,
  HttpResponse,
} from './harness/actions/action.ts'
