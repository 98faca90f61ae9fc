/**
 * The reference server's public surface: what the harness and the tests import. The server knows
 * nothing of the harness; it is a plain HTTP(S) server any tool could test.
 */

/** A fault breaks exactly one rule the way real servers do. */
export interface Fault {
  name: string
  /** What the server then does wrong, in one line. */
  description: string
  /** Requirement IDs (suites/requirements.yaml) the fault violates. */
  requirements: string[]
  /**
   * What proves the fault is caught: `scenarios` (default; a scenario declaring it fails, see
   * test/suites/fault-proof.test.ts) or `fuzz` (the metadata fuzzer finds it within its default
   * budget, see test/harness/fuzz/faults.test.ts): for faults only some inputs trigger.
   */
  proof?: 'scenarios' | 'fuzz'
}

export interface ReferenceServerOptions {
  /** Default 0 (a random free port). */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  /** Fault names from the catalogue; an unknown name is an error. */
  faults?: string[]
  /** Overrides of the default policy (see reference-server/config.ts). */
  config?: Record<string, unknown>
  /** Serve HTTPS with this certificate and key (PEM text). */
  tls?: { cert: string; key: string }
}

export interface RunningReferenceServer {
  /** e.g. http://127.0.0.1:PORT/oauth/v2/oauth-anonymous */
  issuer: string
  /** Origin, e.g. http://127.0.0.1:PORT */
  origin: string
  port: number
  /** The client that obtains initial access tokens (client_credentials, scope `dcr`). */
  registrationClient: { client_id: string; client_secret: string; scope: string; other_scope: string }
  /** Curity-style management client (scope `dcrm`). */
  managementClient: { client_id: string; client_secret: string; scope: string }
  /** The default test user of the login page. */
  user: { username: string; password: string }
  /** Template client id for templatized registration (`software_id`). */
  templateSoftwareId: string
  faults: string[]
  close(): Promise<void>
}
