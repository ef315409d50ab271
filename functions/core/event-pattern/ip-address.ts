/** An IPv4 or IPv6 address as a number, for range checks. */
export interface IpAddress {
  readonly version: 4 | 6;
  readonly value: bigint;
}

/** A CIDR block: every address whose first `prefixLength` bits equal the network's. */
export interface CidrBlock {
  readonly version: 4 | 6;
  readonly network: bigint;
  readonly prefixLength: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/**
 * Parses an IPv4 (`10.0.0.1`) or IPv6 (`2001:db8::1`, `::ffff:10.0.0.1`) address; `undefined`
 * when the text is not one.
 *
 * @example
 * ```ts
 * parseIpAddress("10.0.0.1"); // { version: 4, value: 167772161n }
 * ```
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { version: 4, value: v4 };
  const v6 = text.includes(":") ? parseIpv6(text) : undefined;
  return v6 === undefined ? undefined : { version: 6, value: v6 };
}

/**
 * Parses CIDR notation (`10.0.0.0/24`, `2001:db8::/32`); host bits are ignored, as EventBridge
 * does. Returns a reason string when the text is not valid CIDR.
 *
 * @example
 * ```ts
 * const block = parseCidr("10.0.0.0/24");
 * if (typeof block !== "string") cidrContains(block, parseIpAddress("10.0.0.7")!);
 * ```
 */
export function parseCidr(text: string): CidrBlock | string {
  const slash = text.indexOf("/");
  if (slash < 0 || slash !== text.lastIndexOf("/")) {
    return `Malformed CIDR "${text}": write an address, one "/" and a prefix length, e.g. "10.0.0.0/24"`;
  }
  const address = parseIpAddress(text.slice(0, slash));
  const lengthText = text.slice(slash + 1);
  if (!address) return `Nonstandard IP address "${text.slice(0, slash)}" in CIDR "${text}"`;
  const bits = address.version === 4 ? 32 : 128;
  const prefixLength = /^\d{1,3}$/.test(lengthText) ? Number(lengthText) : Number.NaN;
  if (!(prefixLength >= 0 && prefixLength <= bits)) {
    return `Malformed CIDR "${text}": the prefix length must be 0..${bits} for IPv${address.version}`;
  }
  const shift = BigInt(bits - prefixLength);
  return { version: address.version, network: (address.value >> shift) << shift, prefixLength };
}

/**
 * Tells whether an address lies in a CIDR block (same IP version, same leading bits).
 *
 * @example
 * ```ts
 * cidrContains(block, address);
 * ```
 */
export function cidrContains(block: CidrBlock, address: IpAddress): boolean {
  if (block.version !== address.version) return false;
  const shift = BigInt((block.version === 4 ? 32 : 128) - block.prefixLength);
  return address.value >> shift === block.network >> shift;
}

function parseIpv4(text: string): bigint | undefined {
  const match = IPV4.exec(text);
  if (!match) return undefined;
  let value = 0n;
  for (let index = 1; index <= 4; index++) {
    const octet = Number(match[index]);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] ?? "", halves.length === 1);
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? "", true) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...new Array<number>(halves.length === 1 ? 0 : missing).fill(0), ...tail];
  return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

function parseGroups(text: string, mayEndInIpv4: boolean): number[] | undefined {
  if (text === "") return [];
  const items = text.split(":");
  const groups: number[] = [];
  for (const [index, item] of items.entries()) {
    if (mayEndInIpv4 && index === items.length - 1 && item.includes(".")) {
      const v4 = parseIpv4(item);
      if (v4 === undefined) return undefined;
      groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (HEX_GROUP.test(item)) {
      groups.push(Number.parseInt(item, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}
