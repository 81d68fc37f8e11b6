// The `endpoint` record: one per destination the device contacted, whether or not an identifier was seen
// going there — the inventory that answers "what does this phone talk to by itself?".

import type { HostSource, IpClass, Purpose, Transport } from "./destination.ts";
import type { IdentifierKind } from "./finding.ts";
import type { Severity } from "./judgement.ts";

/** One destination (a host name, or a bare IP when no name is known). */
export interface EndpointRecord {
  /** Record type tag. */
  type: "endpoint";
  /** Name of the destination, or its IP. */
  host: string;
  /** Where the name came from (the best source seen across its connections). */
  host_source: HostSource;
  /** Responder addresses seen for it (at most 16). */
  ips: string[];
  /** Responder ports seen (at most 16). */
  ports: number[];
  /** Class of the first address. */
  ip_class: IpClass;
  /** Country of the first public address. */
  country?: string;
  /** Every country its addresses are registered in. */
  countries: string[];
  /** AS number of the first public address. */
  asn?: number;
  /** AS organisation of that address. */
  as_org?: string;
  /** Registrable domain. */
  domain?: string;
  /** Company (companies file, else the AS organisation). */
  company?: string;
  /** Country of the company's seat. */
  company_country?: string;
  /** Purpose from the companies file. */
  purpose?: Purpose;
  /** First party (device vendor, the app's own domain) or third. */
  party: "first" | "third" | "unknown";
  /** How its connections travelled. */
  transports: Transport[];
  /** Some address is outside the home country. */
  cross_border?: boolean;
  /** Connections to it. */
  connections: number;
  /** Payload bytes the device sent to it. */
  bytes_sent: number;
  /** Payload bytes it sent back. */
  bytes_received: number;
  /** Time of the first connection's first packet. */
  first_ts: number;
  /** Time of the last packet of any of its connections. */
  last_ts: number;
  /** Identifier kinds sent to it (empty when none). */
  kinds: IdentifierKind[];
  /** Findings whose destination it is. */
  findings: number;
  /** Highest severity of its findings, or the endpoint's own judgement when none. */
  severity: Severity;
  /** Reasons for that severity. */
  reasons: string[];
}
