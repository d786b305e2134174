import type { CandidatePair, CandidateType, IceCandidate } from './engine.js';

// The candidate pair of a native (ICE-lite) viewer, as RFC 8445 names it. Our side is always our
// one host candidate on the shared UDP port (ICE-lite gathers nothing else, §2.5). The viewer's
// side is the address its nominated checks came from (the data plane keeps it): the candidate
// of the offer with that address and port gives its type (host, srflx, relay); an address the
// offer did not list was learnt from the checks, a peer-reflexive candidate (§7.3.1.3).

/** The offer's candidates (a=candidate, RFC 8839 §5.1), UDP only: the address:port -> type map. */
export function offerCandidates(sdp: string): Map<string, CandidateType> {
  const out = new Map<string, CandidateType>();
  const re = /^a=candidate:\S+ \d+ (\S+) \d+ (\S+) (\d+) typ (host|srflx|prflx|relay)\b/gim;
  for (let m = re.exec(sdp); m; m = re.exec(sdp)) {
    if (m[1]!.toLowerCase() !== 'udp') continue;
    out.set(`${m[2]!.toLowerCase()}|${m[3]}`, m[4]!.toLowerCase() as CandidateType);
    // A bounded map: a hostile offer's thousand candidates do not make it grow past this.
    if (out.size >= 64) break;
  }
  return out;
}

/** The selected pair from our host candidate and the viewer's nominated address. */
export function nativePair(
  local: { address: string; port: number },
  remote: { address: string; port: number },
  offered: ReadonlyMap<string, CandidateType>,
): CandidatePair {
  const type = offered.get(`${remote.address.toLowerCase()}|${remote.port}`) ?? 'prflx';
  const l: IceCandidate = { type: 'host', protocol: 'udp', address: local.address, port: local.port };
  const r: IceCandidate = { type, protocol: 'udp', address: remote.address, port: remote.port };
  return { local: l, remote: r };
}
