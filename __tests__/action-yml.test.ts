// action.yml as GitHub reads it: the Marketplace refuses a description of
// 125 characters or more, and every input and output must say what it is.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

interface ActionYml {
  description: string
  inputs: Record<string, { description?: string }>
  outputs: Record<string, { description?: string }>
  runs: { using: string; main: string }
}

const action = parse(readFileSync(join(process.cwd(), 'action.yml'), 'utf8')) as ActionYml

test('the description fits the Marketplace (under 125 characters)', () => {
  expect(action.description.length).toBeGreaterThan(20)
  expect(action.description.length).toBeLessThan(125)
})

test('every input and output is described, and the action runs the bundle on node24', () => {
  for (const [name, field] of [...Object.entries(action.inputs), ...Object.entries(action.outputs)]) {
    expect([name, field.description?.trim()]).toEqual([name, expect.stringMatching(/\S/)])
  }
  expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
})
