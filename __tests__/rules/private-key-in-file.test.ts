import { PROFILES } from '../../src/model/types.js'
import { rule } from '../../src/rules/private-key-in-file.js'

// Reported by the loader, not judged per certificate: the rule here is its
// documentation, which reports and the README list.
test('private-key-in-file is documented with a citation and a warning in every profile', () => {
  expect(rule.id).toBe('private-key-in-file')
  expect(rule.citation).toMatch(/RFC|BR|CWE/)
  for (const profile of PROFILES) expect(rule.severity[profile]).toBe('warning')
  expect('appliesTo' in rule).toBe(false)
})
