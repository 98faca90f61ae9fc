/** Every test process has the built-in reference target, as the CLI does (bin/dcr-conformance.js). */
import '../builtin/register.ts'
