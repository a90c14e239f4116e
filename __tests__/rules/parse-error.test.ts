import { PROFILES } from '../../src/model/types.js'
import { rule } from '../../src/rules/parse-error.js'

// Reported by the loader, not judged per certificate: the rule here is its
// documentation, which reports and the README list.
test('parse-error is documented with a citation and a error in every profile', () => {
  expect(rule.id).toBe('parse-error')
  expect(rule.citation).toMatch(/RFC|BR|CWE/)
  for (const profile of PROFILES) expect(rule.severity[profile]).toBe('error')
  expect('appliesTo' in rule).toBe(false)
})
