/**
 * IP address spellings that mean the same thing, in one place (HTTP clients, relay links, pipe
 * candidates and peers, listen addresses).
 */

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address it names; others unchanged. */
export function unmapIpv4(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** The unspecified address a socket binds to listen on every interface (0.0.0.0, ::). */
export function isAnyAddress(host: string | undefined): boolean {
  return host === '0.0.0.0' || host === '::';
}
