import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { DomainError } from '../errors/domain-error.js';

/**
 * Where a webhook may be sent (推送地址). A subscriber's URL is chosen by whoever registers it, and the engine
 * then POSTs to it from inside the agency's network: left unchecked, delivery state becomes a port scanner
 * of that network and the cloud's metadata service (169.254.169.254). Only public unicast addresses are
 * allowed — not loopback, private (RFC 1918), unique-local, link-local, unspecified, carrier-grade NAT,
 * multicast, broadcast, reserved, nor IPv6 forms that embed an IPv4 address (mapped, 6to4, Teredo, NAT64) —
 * unless WEBHOOK_ALLOW_PRIVATE is set (a receiver inside the same network, or a test's local receiver).
 *
 * The URL is parsed by the WHATWG parser first, which turns `2130706433`, `0x7f.1`, `017700000001` and `127.1`
 * into 127.0.0.1 — the address a connection would actually reach — before the address is classified. A host
 * name is resolved and every address it resolves to must be allowed (a name with one public and one private
 * address is refused: the connection could reach either). The check runs at subscription and again at every
 * delivery, since DNS can change; the delivery connects to the address it checked (see webhook-post.ts).
 */
export class WebhookAddressRefused extends Error {
  constructor(
    readonly address: string,
    readonly range: string,
  ) {
    super(`address refused: ${address} (${range})`);
    this.name = 'WebhookAddressRefused';
  }
}

export interface ResolvedTarget {
  url: URL;
  /** The checked addresses the host resolves to; the connection uses the first. */
  addresses: { address: string; family: 4 | 6 }[];
}

/** The range ipaddr.js gives the address, looking through IPv4-mapped IPv6; `unicast` is the only public one. */
export function addressRange(address: string): string {
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) return (parsed as ipaddr.IPv6).toIPv4Address().range();
  return parsed.range();
}

function check(address: string, allowPrivate: boolean): void {
  if (allowPrivate) return;
  const range = addressRange(address);
  if (range !== 'unicast') throw new WebhookAddressRefused(address, range);
}

/** Parses, resolves and checks a webhook URL; throws WebhookAddressRefused, or an Error for a URL that is not http(s) or a host that does not resolve. */
export async function resolveWebhookTarget(raw: string, opts: { allowPrivate: boolean }): Promise<ResolvedTarget> {
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported scheme ${url.protocol}`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  const addresses = literal ? [{ address: host, family: literal as 4 | 6 }] : (await lookup(host, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
  if (addresses.length === 0) throw new Error(`no address for ${host}`);
  for (const a of addresses) check(a.address, opts.allowPrivate);
  return { url, addresses };
}

/** Subscription-time check (登记推送地址): a refused or unresolvable address is a 400 naming the field. */
export async function checkSubscriptionUrl(raw: string, field: string, opts: { allowPrivate: boolean }): Promise<void> {
  try {
    await resolveWebhookTarget(raw, opts);
  } catch (err) {
    if (err instanceof WebhookAddressRefused) {
      throw DomainError.field(field, `推送地址指向内网、本机、链路本地或保留地址（${err.address}），不予登记；确需推送到内网接收方的，由运维人员在部署设置中开启“允许推送到内网地址”`);
    }
    throw DomainError.field(field, '推送地址的域名无法解析，请填写可访问的网址');
  }
}
