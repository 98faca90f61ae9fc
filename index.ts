/**
 * The typed public API of the package (`import type { ... } from 'dcr-conformance'`): the
 * scenario format, the target configuration, the report and its reporters, the `use` fixture
 * contract and the target provider interface. The command line (bin/dcr-conformance.js) is the way
 * to run the harness; the one function here registers a target provider of your own from a module
 * the command line loads first (docs/architecture.md, "Target providers").
 */
// Scenario files (suites/README.md)
export type {
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
  ClientCredentials,
} from './harness/model/scenario.ts'
// Targets (targets.yaml, harness/config/targets.schema.json)
export type {
  TargetConfig,
  ResolvedTarget,
  IatStrategy,
  LoginRecipe,
  LoginStep,
} from './harness/model/target.ts'
// Results and the JSON report (reporters/report.schema.json)
export type {
  Outcome,
  ScenarioResult,
  StepResult,
  StepData,
  CheckResult,
  Exchange,
  Artifact,
  Blocker,
} from './harness/model/result.ts'
export type {
  Report,
  ReportCounts,
  RequirementVerdict,
  RequirementVerdictName,
  RootCause,
  ExpectationOutcome,
  ShardOfPlan,
} from './harness/model/report.ts'
// Reporters
export type { Reporter, RunInfo } from './harness/model/reporter.ts'
// A reporter module named on `--reporter ./my-reporter.js` (harness/runner/custom-reporter.ts).
export type { ReporterFactory, ReporterModuleOptions } from './harness/runner/custom-reporter.ts'
// `use` fixtures (harness/actions/fixtures/fixture.ts) and what they receive and return.
export type { Fixture } from './harness/actions/fixtures/fixture.ts'
export type { ActionContext, ActionResult } from './harness/actions/action.ts'
export type { HttpClient, HttpRequest, HttpResponse } from './harness/http/types.ts'
// Target providers (harness/providers/target-provider.ts): start, stop, faults, commands.
export type {
  ProviderCommand,
  ProviderEntry,
  ProviderStartRequest,
  StartedTarget,
  TargetProvider,
} from './harness/providers/target-provider.ts'
export { registerTargetProvider } from './harness/providers/registry.ts'
