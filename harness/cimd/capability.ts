/**
 * The `client_id_metadata_documents` capability (suites/capabilities.yaml): a target has it when
 * it declares it, or when its metadata says `client_id_metadata_document_supported: true`
 * (draft-ietf-oauth-client-id-metadata-document-02 §6) and the harness has somewhere to publish
 * documents (`cimd:` in targets.yaml). Without a publisher the scenarios could not run. The
 * publisher also gives `harness_https_host`: documents the server fetches (a sector identifier).
 */
import type { ResolvedTarget } from '../model/target.ts'

export const CIMD_CAPABILITY = 'client_id_metadata_documents'
export const PUBLISHER_CAPABILITY = 'harness_https_host'

/** The target with the capabilities added that the evidence allows. */
export function withPublisherCapabilities(target: ResolvedTarget): ResolvedTarget {
  if (!target.cimd) return target
  const added = [PUBLISHER_CAPABILITY]
  if (target.metadata['client_id_metadata_document_supported'] === true) added.push(CIMD_CAPABILITY)
  const missing = added.filter((flag) => !target.capabilities.includes(flag))
  if (missing.length === 0) return target
  return { ...target, capabilities: [...target.capabilities, ...missing] }
}
