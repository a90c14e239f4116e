// A DNS server for one zone of test names, on 127.0.0.1 (UDP), so a test can
// give nginx a `resolver` without the machine's DNS: A queries for the names
// it knows get their address (RFC 1035 §4.1), AAAA queries for them an empty
// answer, anything else NXDOMAIN. Built here, as the forged OCSP responder is,
// because no packaged server is that small.
import { createSocket, type Socket } from 'node:dgram'

export interface DnsServer {
  port: number
  /** Names asked for so far (lower case), to show a server used the resolver. */
  queries: string[]
  close(): Promise<void>
}

export function startDnsServer(records: Record<string, string>, port: number): Promise<DnsServer> {
  const socket: Socket = createSocket('udp4')
  const queries: string[] = []
  socket.on('message', (query, peer) => {
    if (query.length < 12) return
    // Question: labels, then QTYPE and QCLASS.
    const labels: string[] = []
    let offset = 12
    while (offset < query.length && query[offset] !== 0) {
      const length = query[offset]
      labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'))
      offset += length + 1
    }
    const questionEnd = offset + 5
    if (questionEnd > query.length) return
    const name = labels.join('.').toLowerCase()
    queries.push(name)
    const type = query.readUInt16BE(offset + 1)
    const address = records[name]
    const answer =
      address && type === 1
        ? Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, ...address.split('.').map(Number)])
        : Buffer.alloc(0)
    const header = Buffer.alloc(12)
    query.copy(header, 0, 0, 2) // the query's ID
    header.writeUInt16BE(0x8180 | (address ? 0 : 3), 2) // response, recursion desired and available; NXDOMAIN when unknown
    header.writeUInt16BE(1, 4)
    header.writeUInt16BE(answer.length ? 1 : 0, 6)
    socket.send(Buffer.concat([header, query.subarray(12, questionEnd), answer]), peer.port, peer.address)
  })
  return new Promise((resolve, reject) => {
    socket.once('error', reject)
    socket.bind(port, '127.0.0.1', () =>
      resolve({ port, queries, close: () => new Promise((done) => socket.close(() => done())) }),
    )
  })
}
