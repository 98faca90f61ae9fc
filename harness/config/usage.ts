/** Help texts of the CLI (DESIGN §2). */

export const MAIN_USAGE = `usage: dcr-conformance [COMMAND] [OPTIONS]

Conformance tests for OAuth 2.0 Dynamic Client Registration servers
(RFC 7591, RFC 7592, OpenID Connect Dynamic Client Registration 1.0).

Commands:
  run        run the scenarios against a target (the default command)
  list       show the planned scenarios (id, title, requirements, applicability)
  serve      start the built-in reference server
  coverage   requirement -> scenarios matrix, untested requirements
  faults     the reference server's fault catalogue
  merge      merge JSON reports of sharded runs

Run 'dcr-conformance COMMAND --help' for a command's options.
Exit codes: 0 conformant, 1 non-conformant, 2 usage/config/scenario-file error (nothing sent),
3 runtime error (target unreachable, errored scenarios, harness fault).`

const SELECTION = `  --suite PATH|GLOB       scenario files, folders or globs (repeatable;
                          default: the package's suites/)
  --grep REGEX            only scenarios whose id or title matches
  --tag TAG               only scenarios with this tag (repeatable: any of them)
  --shard I/N             only the I-th of N shards (every scenario is in exactly one shard)`

const TARGET = `  --target NAME|URL       'reference' (default, the built-in server), a name from the targets
                          file, or a bare issuer URL (open registration, no initial access token)
  --targets FILE          targets file (default ./targets.yaml)`

export const RUN_USAGE = `usage: dcr-conformance [run] [OPTIONS]

Runs the scenarios against a target and reports; the exit code gates CI.

Target:
${TARGET}
  --fault NAME            start the reference target with this fault (repeatable; reference only)

Selection:
${SELECTION}

Execution:
  --workers N             scenarios in parallel (default: CPU count; never more than the
                          target's limits.concurrency)
  --timeout MS            time budget per scenario (default 60000)
  --seed N                seed of the execution order (default random; printed and in the report)
  --bail                  stop scheduling after the first failed or errored scenario
  --expectations FILE     known deviations of the target (default: the target's expectations file)
  --login-driver D        auto (default), browser or http
  --headed                show the browser window
  --trace                 record Playwright traces as artifacts

Output:
  --reporter NAME[=PATH]  console (default), json, junit, html, markdown (repeatable)
  -h, --help              this text

Exit codes: 0 conformant, 1 non-conformant (unexpected MUST failure or stale expectation),
2 usage/config/scenario-file error (nothing was sent), 3 runtime error.`

export const LIST_USAGE = `usage: dcr-conformance list [OPTIONS]

Lists the planned scenarios without sending anything.

${TARGET}
${SELECTION}
  --format text|json      output format (default text)
  -h, --help              this text`

export const DELEGATED_USAGE: Record<string, string> = {
  serve: `usage: dcr-conformance serve [--port N] [--host H] [--fault NAME]... [--config FILE]
Starts the built-in reference server (prints its issuer).`,
  coverage: `usage: dcr-conformance coverage [--format md|json]
Shows which scenarios test each requirement and which requirements are untested, and why.`,
  faults: `usage: dcr-conformance faults
Lists the reference server's faults: name, what it breaks, the requirements it violates.`,
  merge: `usage: dcr-conformance merge REPORT.json... [--reporter NAME[=PATH]]...
Merges the JSON reports of sharded runs against one target.`,
}
