import dns from "node:dns";
import net from "node:net";

/**
 * Addresses no webhook may reach unless WEBHOOK_ALLOW_PRIVATE is on: those of IANA's special-purpose
 * registries that are not globally reachable (private, loopback, link-local, shared, documentation,
 * benchmarking, unspecified), multicast and reserved ones, and the IPv6 forms that tunnel to an IPv4
 * address we could not check here (NAT64, 6to4, Teredo). IPv4-mapped IPv6 addresses
 * (`::ffff:10.0.0.1`) match the IPv4 ranges: BlockList compares them as IPv4.
 */
const NON_PUBLIC = new net.BlockList();
for (const [address, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  NON_PUBLIC.addSubnet(address, prefix, "ipv4");
}
for (const [address, prefix] of [
  ["::", 96], // unspecified, loopback and the deprecated IPv4-compatible ::a.b.c.d
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001::", 23],
  ["2001:db8::", 32],
  ["2002::", 16],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
] as const) {
  NON_PUBLIC.addSubnet(address, prefix, "ipv6");
}

/** True when `address` (an IPv4 or IPv6 address, as text) is one the public internet routes to. */
export function isPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return false;
  return !NON_PUBLIC.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** A URL's hostname as an IP address when it is one (`[::1]` → `::1`), else null. */
export function ipLiteral(hostname: string): string | null {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return net.isIP(bare) ? bare : null;
}

/** Thrown when a host is, or resolves to, an address webhooks may not reach. */
export class NonPublicAddressError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(
      host === address
        ? `${address} is not a public address (private, loopback, link-local or reserved)`
        : `${host} resolves to ${address}, which is not a public address (private, loopback, link-local or reserved)`,
    );
  }
}

/**
 * Every address `hostname` resolves to (the system resolver, /etc/hosts included, as a connection
 * would use), refusing with {@link NonPublicAddressError} when any of them is not public: a name with
 * one public and one private record could otherwise be sent to either.
 */
export async function resolvePublic(hostname: string): Promise<dns.LookupAddress[]> {
  const addresses = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  const inside = addresses.find((entry) => !isPublicAddress(entry.address));
  if (inside) throw new NonPublicAddressError(hostname, inside.address);
  return addresses;
}

/**
 * A `lookup` for http.request that connects only to public addresses: the check and the connection
 * use the same answer, so a name that resolves to a public address when the webhook is created and
 * to an inside one at delivery (DNS rebinding) is refused then. (Node skips `lookup` for a hostname
 * that is an IP address: check those with {@link ipLiteral} first.)
 */
export const publicLookup: net.LookupFunction = (hostname, options, callback) => {
  resolvePublic(hostname).then(
    (addresses) => {
      const family = options.family === "IPv4" ? 4 : options.family === "IPv6" ? 6 : (options.family ?? 0);
      const wanted = family ? addresses.filter((entry) => entry.family === family) : addresses;
      if (wanted.length === 0) {
        const err: NodeJS.ErrnoException = new Error(`${hostname} has no IPv${family} address`);
        err.code = "ENOTFOUND";
        return callback(err, "", 0);
      }
      if (options.all) return callback(null, wanted as never, 0);
      callback(null, wanted[0]!.address, wanted[0]!.family);
    },
    (err: NodeJS.ErrnoException) => callback(err, "", 0),
  );
};
