import { describe, expect, it } from 'vitest'
import { cleartextForms } from '../../../harness/http/cleartext-forms.ts'

describe('cleartextForms', () => {
  it('keeps an explicit port, and adds port 80 for an https URL on the default port', () => {
    expect(cleartextForms(new URL('https://idp.test:8443/reg?x=1'))).toEqual(['http://idp.test:8443/reg?x=1'])
    expect(cleartextForms(new URL('https://idp.test/reg'))).toEqual(['http://idp.test:443/reg', 'http://idp.test/reg'])
    expect(cleartextForms(new URL('http://idp.test:8080/reg'))).toEqual(['http://idp.test:8080/reg'])
  })
})
