/** The HTML login page: labels "Username" and "Password", button "Login", fields username/password. */
import { escapeHtml, page } from '../http/respond.ts'
import { paths } from '../paths.ts'

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
