import type { Cert, GeneralNameConstraint } from '../model/cert.js'
import { EMPTY_NAME_KEY, rdnKeysOf } from '../model/name-match.js'
import { ipInBlock } from './hostname.js'

type NameType = GeneralNameConstraint['type']

const LABEL = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$/i

/** A DNS name or dNSName constraint that is syntactically a host name (RFC 1034 §3.5 preferred syntax). */
function wellFormedDns(name: string, { constraint }: { constraint: boolean }): boolean {
  if (name === '') return constraint
  const labels = (constraint && name.startsWith('.') ? name.slice(1) : name).split('.')
  return labels.every((label, i) => LABEL.test(label) || (!constraint && i === 0 && label === '*'))
}

function dnsWithin(name: string, constraint: string): boolean {
  const n = name.toLowerCase()
  const c = constraint.toLowerCase()
  if (c === '') return true
  if (c.startsWith('.')) return n.endsWith(c)
  return n === c || n.endsWith(`.${c}`)
}

/** RFC 5280 §4.2.1.10: a mailbox, a host (all mailboxes there) or '.domain' (any host below it). */
function emailWithin(address: string, constraint: string): boolean {
  if (constraint.includes('@')) return address.toLowerCase() === constraint.toLowerCase()
  const host = address.slice(address.lastIndexOf('@') + 1).toLowerCase()
  const c = constraint.toLowerCase()
  return c.startsWith('.') ? host.endsWith(c) : host === c
}

function uriWithin(uri: string, constraint: string): boolean {
  let host: string
  try {
    host = new URL(uri).hostname
  } catch {
    return false
  }
  const c = constraint.toLowerCase()
  return c.startsWith('.') ? host.toLowerCase().endsWith(c) : host.toLowerCase() === c
}

/**
 * A distinguished name is within a subtree when the subtree's RDNs are its
 * leading RDNs (§4.2.1.10), each matched as §7.1 says (name keys).
 */
function dnWithin(nameKey: string, constraintKey: string): boolean {
  const name = rdnKeysOf(nameKey)
  const base = rdnKeysOf(constraintKey)
  return base.length <= name.length && base.every((rdn, i) => rdn === name[i])
}

function within(type: NameType, name: string, constraint: string): boolean {
  switch (type) {
    case 'dns':
      return dnsWithin(name, constraint)
    case 'ip':
      return ipInBlock(name, constraint)
    case 'email':
      return emailWithin(name, constraint)
    case 'uri':
      return uriWithin(name, constraint)
    case 'dn':
      return dnWithin(name, constraint)
    case 'other':
      return false
  }
}

/** The names of `cert` that name constraints apply to: its SANs and a non-empty subject DN. */
function namesOf(cert: Cert): { type: NameType; value: string }[] {
  const names: { type: NameType; value: string }[] = []
  for (const value of cert.san?.dns ?? []) names.push({ type: 'dns', value })
  for (const value of cert.san?.ip ?? []) names.push({ type: 'ip', value })
  for (const value of cert.san?.email ?? []) names.push({ type: 'email', value })
  for (const value of cert.san?.uri ?? []) names.push({ type: 'uri', value })
  if (cert.subjectKey !== EMPTY_NAME_KEY) names.push({ type: 'dn', value: cert.subjectKey })
  return names
}

function malformed(constraint: GeneralNameConstraint): boolean {
  if (constraint.type === 'ip') return !/^[^/]+\/\d+$/.test(constraint.value)
  if (constraint.type === 'dns') return !wellFormedDns(constraint.value, { constraint: true })
  return false
}

/**
 * Checks `subject` against the name constraints of `ca` (RFC 5280 §6.1.3
 * (b)/(c)): every name of a type the CA permits must lie in a permitted
 * subtree of that type, and no name may lie in an excluded subtree.
 * Returns one sentence per violation; an empty or malformed constraint, or a
 * SAN that is not a well-formed DNS name under a dNSName constraint, also
 * fails, since none of them can be judged (§4.2.1.10 forbids empty ones).
 */
export function nameConstraintViolations(subject: Cert, ca: Cert): string[] {
  const constraints = ca.nameConstraints
  if (!constraints) return []
  const violations: string[] = []
  if (constraints.permitted.length === 0 && constraints.excluded.length === 0) {
    violations.push(`${ca.subject} has name constraints with neither permitted nor excluded subtrees`)
  }
  for (const c of [...constraints.permitted, ...constraints.excluded]) {
    if (malformed(c)) violations.push(`${ca.subject} has a malformed ${c.type} name constraint '${c.value}'`)
  }
  if (violations.length > 0) return violations
  const dnsConstrained = [...constraints.permitted, ...constraints.excluded].some((c) => c.type === 'dns')
  for (const name of namesOf(subject)) {
    const shown = name.type === 'dn' ? subject.subject : name.value
    if (name.type === 'dns' && dnsConstrained && !wellFormedDns(name.value, { constraint: false })) {
      violations.push(
        `${shown} is not a valid DNS name, so ${ca.subject}'s dNSName constraints cannot admit it`,
      )
      continue
    }
    const permitted = constraints.permitted.filter((c) => c.type === name.type)
    if (permitted.length > 0 && !permitted.some((c) => within(name.type, name.value, c.value))) {
      violations.push(`${name.type} name ${shown} is outside the subtrees ${ca.subject} permits`)
    }
    const excluded = constraints.excluded.find(
      (c) => c.type === name.type && within(name.type, name.value, c.value),
    )
    if (excluded) violations.push(`${name.type} name ${shown} is in a subtree ${ca.subject} excludes`)
  }
  return violations
}
