// The `dns` record: one per DNS query/response pair on a connection (after Zeek's dns.log). A query and the
// response with the same transaction id travelling the other way become one record; a query nobody answered
// and a response whose query was not seen (mDNS announcements, a capture that starts late) stand alone.

import type { ConnId, ConnProto } from "./conn.ts";

/** One resource record of a response's answer section. */
export interface DnsAnswer {
  /** Owner name, as on the wire (presentation form, no trailing dot; the root is `.`). */
  name: string;
  /** RR type mnemonic (`A`, `CNAME`, `HTTPS`, ...), `TYPE<n>` for unknown types (RFC 3597 §5). */
  type: string;
  /** Time to live, seconds. */
  ttl: number;
  /** RDATA in presentation form: an address, a name, `10 mx.example.com`, `"txt" "strings"`, SVCB params. */
  data: string;
  /** SVCB/HTTPS TargetName (RFC 9460 §2.5): `.` means the owner itself; with priority 0 it is an alias. */
  target?: string;
  /** Addresses an SVCB/HTTPS record hints (ipv4hint, ipv6hint, RFC 9460 §7.3), when it has any. */
  hints?: string[];
}

/** One DNS query and its response. */
export interface DnsRecord extends ConnId {
  /** Record type tag. */
  type: "dns";
  /** Time of the query message (of the response when no query was seen), float seconds since the epoch. */
  ts: number;
  /** Transport the messages travelled on. */
  proto: ConnProto;
  /** Transaction id (16 bits) that pairs the query with its response. */
  trans_id: number;
  /** Seconds from the query to its response, when both were seen. */
  rtt?: number;
  /** First question's name (presentation form, no trailing dot, the root as `.`); absent with no question. */
  query?: string;
  /** Every question's name, only when the message asked more than one (mDNS does). */
  queries?: string[];
  /** QCLASS of the first question (the mDNS unicast-response bit removed on port 5353). */
  qclass?: number;
  /** Class mnemonic: `IN`, `CH`, `HS`, `NONE`, `ANY`, else `CLASS<n>`. */
  qclass_name?: string;
  /** QTYPE of the first question. */
  qtype?: number;
  /** Type mnemonic (`A`, `AAAA`, `HTTPS`, ...), `TYPE<n>` for unknown types. */
  qtype_name?: string;
  /** Opcode of the query (0 QUERY, 4 NOTIFY, 5 UPDATE ...). */
  opcode: number;
  /** Opcode mnemonic: `QUERY`, `IQUERY`, `STATUS`, `NOTIFY`, `UPDATE`, `DSO`, else `OPCODE<n>`. */
  opcode_name: string;
  /** Response code, extended with the EDNS upper bits (RFC 6891 §6.1.3), when a response was seen. */
  rcode?: number;
  /** Response code mnemonic (`NOERROR`, `NXDOMAIN`, `SERVFAIL`, `BADCOOKIE`, ...), else `RCODE<n>`. */
  rcode_name?: string;
  /** Authoritative Answer bit of the response. */
  AA: boolean;
  /** TrunCation bit (of the response, else of the query). */
  TC: boolean;
  /** Recursion Desired bit of the query (of the response when no query was seen). */
  RD: boolean;
  /** Recursion Available bit of the response. */
  RA: boolean;
  /** The three bits after RA (Z, AD, CD; RFC 1035 §4.1.1, RFC 4035 §3.2) of the response, else the query. */
  Z: number;
  /** RDATA text of each answer-section record, in order (at most 100). */
  answers: string[];
  /** TTL of each answer, seconds, parallel to `answers`. */
  ttls: number[];
  /** The answer section record by record (owner, type, ttl, data), when the response had answers. */
  answer_records?: DnsAnswer[];
  /** True when the server refused or failed the query (an rcode other than NOERROR and NXDOMAIN). */
  rejected: boolean;
  /** A query message was seen. */
  saw_query: boolean;
  /** A response message was seen. */
  saw_response: boolean;
  /** Frame number of the packet that carried (completed) the query. */
  query_frame?: number;
  /** Frame number of the packet that carried (completed) the response. */
  response_frame?: number;
  /** EDNS UDP payload size (RFC 6891 §6.2.3) of the query's OPT record (of the response's without one). */
  edns_udp_size?: number;
  /** EDNS DNSSEC OK bit (RFC 3225) of the same OPT record. */
  edns_do?: boolean;
  /** EDNS option names of the query, then of the response, e.g. `cookie`, `padding`, `ecs`, `OPT<n>`. */
  edns_options?: string[];
  /** EDNS Client Subnet the query carried (RFC 7871), `address/prefix`: it reveals the client's network. */
  edns_client_subnet?: string;
}
