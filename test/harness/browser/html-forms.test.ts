import { describe, expect, it } from 'vitest'
import {
  findButton,
  findControlByLabel,
  findControlBySelector,
  formData,
  parseForms,
} from '../../../harness/browser/html-forms.ts'

const page = `<!doctype html><html><body>
<form method="post" action="/login?x=1">
  <input type="hidden" name="interaction" value="i1">
  <p><label for="u">Username</label><input id="u" name="username"></p>
  <p><label>Pass word <input name="pw" type="password"></label></p>
  <input type="checkbox" name="remember" checked>
  <input type="checkbox" name="spam">
  <select name="lang"><option value="en">English</option><option value="fr" selected>French</option></select>
  <input type="submit" name="go" value="Login">
  <button type="button">Show</button>
</form>
<form action="consent"><button name="decision" value="allow">  Allow  access </button></form>
</body></html>`

describe('HTML forms', () => {
  const forms = parseForms(page, 'https://as.test/authn/page?q=1')
  const [login, consent] = forms

  it('reads action, method, controls with labels and submit buttons', () => {
    expect(forms).toHaveLength(2)
    expect(login?.action).toBe('https://as.test/login?x=1')
    expect(login?.method).toBe('POST')
    expect(login?.controls.map((c) => c.name)).toEqual([
      'interaction',
      'username',
      'pw',
      'remember',
      'spam',
      'lang',
    ])
    expect(login?.buttons).toEqual([
      { name: 'go', value: 'Login', text: 'Login', type: 'submit', id: undefined },
    ])
    expect(consent?.action).toBe('https://as.test/authn/consent')
    expect(consent?.method).toBe('GET')
    expect(consent?.buttons[0]?.text).toBe('Allow access')
  })

  it('finds controls by label[for], wrapping label and simple selectors', () => {
    if (!login) throw new Error('no form')
    expect(findControlByLabel(login, 'username')?.name).toBe('username')
    expect(findControlByLabel(login, 'Pass word')?.name).toBe('pw')
    expect(findControlByLabel(login, 'Email')).toBeUndefined()
    expect(findControlBySelector(login, '#u')?.name).toBe('username')
    expect(findControlBySelector(login, 'input[name="pw"]')?.name).toBe('pw')
    expect(findControlBySelector(login, 'div > input')).toBeUndefined()
  })

  it('builds the form data set with hidden inputs, checked boxes, the selected option and the button', () => {
    if (!login || !consent) throw new Error('no form')
    const user = findControlByLabel(login, 'Username')
    if (!user) throw new Error('no field')
    const data = formData(login, new Map([[user, 'alice']]), findButton(login, 'login'))
    expect(data.toString()).toBe('interaction=i1&username=alice&pw=&remember=on&lang=fr&go=Login')
    expect(formData(consent, new Map(), findButton(consent, /^allow/i)).toString()).toBe(
      'decision=allow',
    )
  })
})
