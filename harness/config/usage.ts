/** Help texts of the CLI (harness/cli.ts and the commands in harness/commands/). */

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
  doctor     preflight of a target: TLS, discovery, IAT, login, capabilities (with fixes)
  init       write a targets.yaml entry from an issuer's discovery document
  fixtures   list the fixtures of the use action with their inputs
  fuzz       seeded property-based fuzzing of the registration endpoint's metadata handling

Run 'dcr-conformance COMMAND --help' for a command's options.
Exit codes: 0 conformant, 1 non-conformant, 2 usage/config/scenario-file error (nothing sent),
3 runtime error (target unreachable, errored scenarios, harness fault, nothing judged).`

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
  --workers N             scenarios in parallel (default: the target's limits.concurrency,
                          else 8; never more than it); of them, real-browser logins at most
                          the CPU count
  --timeout MS            time budget per scenario (default 60000)
  --seed N                seed of the execution order (default random; printed and in the report)
  --bail                  stop scheduling after the first failed or errored scenario
  --expectations FILE     known deviations of the target (default: the target's expectations file)
  --login-driver D        auto (default), browser or http
  --no-session-reuse      every scenario logs in itself (default: log in once and start later
                          scenarios from that session; 'login: fresh' scenarios always log in)
  --headed                show the browser window
  --trace                 record Playwright traces as artifacts
  --artifacts-dir DIR     where screenshots, traces and pages of failed steps go (default
                          .dcr-conformance/artifacts/<run id>)

Output:
  --reporter NAME[=PATH]  console (default), json, junit, html, markdown (repeatable); without
                          PATH: junit.xml, report.html, report.md in the working folder; json
                          to stdout (to dcr-conformance-report.json when the console is there)
  -q, --quiet             no console output (file reports are still written)
  -h, --help              this text

Exit codes: 0 conformant, 1 non-conformant (unexpected MUST failure or stale expectation),
2 usage/config/scenario-file error (nothing was sent), 3 runtime error or nothing judged (every
scenario skipped or inconclusive).`

export const LIST_USAGE = `usage: dcr-conformance list [OPTIONS]

Lists the planned scenarios without sending anything.

${TARGET}
${SELECTION}
  --format text|json      output format (default text)
  -h, --help              this text`

export const FUZZ_USAGE = `usage: dcr-conformance fuzz [OPTIONS]

Sends generated registration metadata (valid, wrongly typed, bad URIs, fragments, unknown enum
values, inconsistent grant and response types, bad keys, oversized, Unicode, duplicate members) and
checks: no 5xx; a refusal is 400 with an RFC 7591 §3.2.2 error code; an invalid value is never
registered; an accepted descriptive value is returned as sent; a refused registration leaves no
usable client. A failure is shrunk to a minimal input and shown as a scenario file that
reproduces it. Every client registered is deleted at the end.

${TARGET}
  --fault NAME            start the reference target with this fault (repeatable; reference only)
  --seed N                seed of the generated cases (default random; printed): replays a run
  --runs N                cases to generate (default 200; shrinking steps not counted)
  --time-budget DURATION  stop after this long, e.g. 90s or 5m (a bare number is seconds;
                          default 5m)
  --max-findings N        stop after N distinct findings (default 10)
  --format text|json      output format (default text)
  --out DIR               also write each finding's scenario to DIR/fuzz/<name>.yaml
  -h, --help              this text

Exit codes: 0 no findings (or SHOULD-level ones only), 1 findings, 2 usage/config error,
3 runtime error (a case could not be judged, target unreachable) or interrupted.`

export const DELEGATED_USAGE: Record<string, string> = {
  fuzz: FUZZ_USAGE,
  serve: `usage: dcr-conformance serve [--port N] [--host H] [--fault NAME]... [--config FILE]
Starts the built-in reference server (prints its issuer).`,
  coverage: `usage: dcr-conformance coverage [--format md|json] [--suite FOLDER]...
Shows which scenarios test each requirement and which requirements are untested, and why.`,
  faults: `usage: dcr-conformance faults
Lists the reference server's faults: name, what it breaks, the requirements it violates.`,
  merge: `usage: dcr-conformance merge REPORT.json... [--reporter NAME[=PATH]]...
Merges the JSON reports of sharded runs against one target.`,
  doctor: 'usage: dcr-conformance doctor [--target NAME|URL] [--targets FILE] [--login-driver D]',
  init: 'usage: dcr-conformance init ISSUER [--name NAME] [--targets FILE] [--ca FILE]',
  fixtures: 'usage: dcr-conformance fixtures [--suite PATH]... [--format text|json]',
}

export const DOCTOR_USAGE = `usage: dcr-conformance doctor [OPTIONS]

Checks one target in seconds, each problem with a fix: TLS trust (tls.ca or NODE_EXTRA_CA_CERTS),
discovery at both well-known URLs, the registration endpoint and whether it needs an initial
access token, the IAT strategy (a token, one-time or not), the login recipe reaching the callback,
and the declared capabilities against what discovery suggests. Clients it registers are deleted.
A target given only by mcp_server is discovered first: each hop (401 challenge, protected resource
metadata, authorization server metadata) is one line.

${TARGET}
  --login-driver D        auto (default), browser or http
  -h, --help              this text

Exit codes: 0 ready to run, 2 configuration error, 3 a check failed (the error line is the one
'run' would stop with).`

export const INIT_USAGE = `usage: dcr-conformance init ISSUER [OPTIONS]
       dcr-conformance init --mcp-server URL [OPTIONS]

Reads the issuer's discovery document and writes a commented targets.yaml entry: endpoints it
found, suggested capabilities, the IAT strategy, secrets as \${{ env.NAME }} placeholders.
With --mcp-server it first walks the MCP server's 401 challenge and protected resource metadata
to its authorization server, and the entry names the MCP server (mcp_server) instead of the issuer.

  --mcp-server URL        start from an MCP server URL instead of an ISSUER
  --name NAME             the target's name (default: from the issuer's or MCP server's host)
  --targets FILE          the file to add the entry to (default ./targets.yaml; created with the
                          editor schema comment when missing; '-' prints the entry)
  --ca FILE               a PEM CA that signed the server certificate (written as tls.ca)
  -h, --help              this text`

export const FIXTURES_USAGE = `usage: dcr-conformance fixtures [--suite PATH]... [--format text|json]

Lists the fixtures scenarios can call with \`use\` (the package's and those in a suite folder's
fixtures/), each with its description and inputs.`
