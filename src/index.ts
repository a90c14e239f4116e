// The action's entry point: the runner executes dist/index.js, which only runs main.
import { run } from './main.js'

await run()
