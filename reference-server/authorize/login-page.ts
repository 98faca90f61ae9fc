/** The HTML login page: labels "Username" and "Password", button "Login", fields username/password. */
import { escapeHtml, page } from '../http/respond.ts'
import { paths } from '../paths.ts'
import type { ClientRecord } from '../store.ts'

export function loginPage(interaction: string, clientName: string, message?: string): string {
  const notice = message ? `<p class="error" role="alert">${escapeHtml(message)}</p>\n` : ''
  return page(
    'Sign in',
    `<p>Sign in to continue to <strong>${escapeHtml(clientName)}</strong>.</p>
${notice}<form method="post" action="${paths.login}">
<input type="hidden" name="interaction" value="${escapeHtml(interaction)}">
<p><label for="username">Username</label><br><input id="username" name="username" type="text" autocomplete="username" required></p>
<p><label for="password">Password</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Login</button></p>
</form>`,
  )
}

/**
 * The name the login page shows. A document client's name is its own claim: the host beside it
 * tells the user who it is (draft-ietf-oauth-client-id-metadata-document-02 §8.5).
 */
export function clientDisplayName(client: Pick<ClientRecord, 'client_id' | 'kind' | 'metadata'>): string {
  const named = typeof client.metadata.client_name === 'string'
  const name = named ? String(client.metadata.client_name) : client.client_id
  const host = client.kind === 'cimd' && named ? new URL(client.client_id).host : undefined
  return host ? `${name} (${host})` : name
}
