import type { ServerBlockRule } from './rule.js'
import { staplingOn } from './support/stapling.js'
import { severityIn } from './support/profiles.js'

// Apache mod_ssl docs, SSLUseStapling: "This option enables OCSP stapling
// … SSLStaplingCache must be configured." Without the cache mod_ssl
// refuses stapling ("SSLStapling: no stapling cache available", AH01958)
// and the server does not start.
export const rule: ServerBlockRule = {
  id: 'stapling-no-cache',
  description: 'Apache SSLUseStapling on without SSLStaplingCache: mod_ssl has nowhere to keep responses.',
  citation: 'Apache mod_ssl (SSLUseStapling, SSLStaplingCache)',
  severity: severityIn('error'),
  appliesTo: ({ block }) => block.software === 'apache' && staplingOn(block),
  check({ block }) {
    if (block.staplingCache) return []
    return [
      {
        at: block.stapling!,
        message: `SSLUseStapling is on for ${block.name}, but no SSLStaplingCache is configured (it must be set outside every VirtualHost): mod_ssl refuses stapling and Apache does not start.`,
      },
    ]
  },
}
