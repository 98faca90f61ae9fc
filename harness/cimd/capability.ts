/**
 * The `client_id_metadata_documents` capability (suites/capabilities.yaml): a target has it when
 * it declares it, or when its metadata says `client_id_metadata_document_supported: true`
 * (draft-ietf-oauth-client-id-metadata-document-02 §6) and the harness has somewhere to publish
 * documents (`cimd:` in targets.yaml). Without a publisher the scenarios could not run.
 */
import type { ResolvedTarget } from '../model/target.ts'

export const CIMD_CAPABILITY = 'client_id_metadata_documents'

/** The target with the capability added when the evidence allows it. */
export function withCimdCapability(target: ResolvedTarget): ResolvedTarget {
  if (target.capabilities.includes(CIMD_CAPABILITY)) return target
  if (target.metadata['client_id_metadata_document_supported'] !== true || !target.cimd)
    return target
  return { ...target, capabilities: [...target.capabilities, CIMD_CAPABILITY] }
}
