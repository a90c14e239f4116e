// nginx or Apache? Decided by content, not by name: both are often called
// site.conf. nginx ends directives with `;` and nests with braces; Apache
// writes one directive per line and nests with <Section> tags.
import type { ServerSoftware } from './model.js'

const NGINX_SIGNS = [
  /^\s*(http|server|stream|events)\s*\{/m,
  /^\s*ssl_\w+\s+[^;\n]*;/m,
  /^\s*(listen|server_name|include)\s+[^;\n]*;\s*(#.*)?$/m,
]
const APACHE_SIGNS = [
  /^\s*<\/?(VirtualHost|IfModule|Directory|Location|IfDefine)\b/im,
  /^\s*SSL[A-Z]\w+\s/m,
  /^\s*(Listen|LoadModule|ServerName|Include|IncludeOptional|DocumentRoot)\s+[^;{\n]*$/m,
]

/** The server software the text is written for, or undefined when neither fits better. */
export function detectServer(text: string): ServerSoftware | undefined {
  const nginx = NGINX_SIGNS.filter((sign) => sign.test(text)).length
  const apache = APACHE_SIGNS.filter((sign) => sign.test(text)).length
  if (nginx === apache) return undefined
  return nginx > apache ? 'nginx' : 'apache'
}
