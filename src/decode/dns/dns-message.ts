// One DNS message off the wire (RFC 1035 §4.1): header, questions, the answer section record by record, and
// the EDNS OPT record from the additional section; authority and additional records are walked only to find
// their ends. Malformed input becomes weirds and a partial message, never an exception or a hang: every loop
// consumes at least one byte of a message that is at most 64 KiB.

import type { DnsAnswer } from "../../model/dns.ts";
import { type EdnsInfo, parseOpt } from "./dns-edns.ts";
import { NAME_OK, NAME_TRUNCATED, type NameResult, newNameResult, readName, skipName } from "./dns-names.ts";
import { nameWeird, newRdataResult, readRdata } from "./dns-rdata.ts";
import { type DnsWeird, T_OPT, typeName } from "./dns-types.ts";

/** One question (RFC 1035 §4.1.2). */
export interface DnsQuestion {
  /** QNAME in text form. */
  name: string;
  /** QTYPE. */
  qtype: number;
  /** QCLASS as on the wire (mDNS sets the top bit for a unicast response). */
  qclass: number;
}

/** A parsed message. */
export interface DnsMessage {
  /** Transaction id. */
  id: number;
  /** QR: true for a response. */
  qr: boolean;
  /** Opcode (4 bits). */
  opcode: number;
  /** Authoritative Answer. */
  aa: boolean;
  /** TrunCation. */
  tc: boolean;
  /** Recursion Desired. */
  rd: boolean;
  /** Recursion Available. */
  ra: boolean;
  /** Z, AD and CD bits (3 bits). */
  z: number;
  /** Header rcode (4 bits; `edns.extRcode` holds the upper bits). */
  rcode: number;
  /** Question count as the header states it. */
  qdcount: number;
  /** Answer count as the header states it. */
  ancount: number;
  /** Authority count as the header states it. */
  nscount: number;
  /** Additional count as the header states it. */
  arcount: number;
  /** Questions whose names read cleanly, at most MAX_QUESTIONS. */
  questions: DnsQuestion[];
  /** The first question's name could not be read (the message is not worth a record). */
  badQuestion: boolean;
  /** Answer-section records, at most MAX_ANSWERS. */
  answers: DnsAnswer[];
  /** The OPT record, when there was one. */
  edns?: EdnsInfo;
}

/** Receives the problems of one message. */
export type MessageWeird = (name: DnsWeird, detail: string) => void;

/** Questions kept per message (mDNS asks several at once; more are walked but not kept). */
export const MAX_QUESTIONS = 16;
/** Answer records kept per message. */
export const MAX_ANSWERS = 100;

const SECTIONS = ["question", "answer", "authority", "additional"] as const;

/** Parser state for one message; one instance serves every message of a decoder. */
class Cursor {
  buf: Uint8Array = new Uint8Array(0);
  base = 0;
  end = 0;
  pos = 0;
  weird: MessageWeird = () => {};
  readonly name: NameResult = newNameResult();
  readonly rdata = newRdataResult();
}

const cur = new Cursor();
const EMPTY = new Uint8Array(0);

/** Parses the message in `[off, end)` of `buf`; undefined when it is shorter than the 12-byte header. */
export function parseMessage(
  buf: Uint8Array,
  off: number,
  end: number,
  weird: MessageWeird,
): DnsMessage | undefined {
  if (end - off < 12) return undefined;
  const b2 = buf[off + 2];
  const b3 = buf[off + 3];
  const msg: DnsMessage = {
    id: u16(buf, off),
    qr: (b2 & 0x80) !== 0,
    opcode: (b2 >> 3) & 0x0f,
    aa: (b2 & 0x04) !== 0,
    tc: (b2 & 0x02) !== 0,
    rd: (b2 & 0x01) !== 0,
    ra: (b3 & 0x80) !== 0,
    z: (b3 >> 4) & 0x07,
    rcode: b3 & 0x0f,
    qdcount: u16(buf, off + 4),
    ancount: u16(buf, off + 6),
    nscount: u16(buf, off + 8),
    arcount: u16(buf, off + 10),
    questions: [],
    badQuestion: false,
    answers: [],
  };
  cur.buf = buf;
  cur.base = off;
  cur.end = end;
  cur.pos = off + 12;
  cur.weird = weird;
  if (readQuestions(msg) && readRecords(msg) && cur.pos < end) {
    weird("dns_trailing_bytes", `${end - cur.pos} bytes after the last record`);
  }
  cur.buf = EMPTY; // do not keep the caller's buffer alive
  return msg;
}

function u16(buf: Uint8Array, off: number): number {
  return (buf[off] << 8) | buf[off + 1];
}

function u32(buf: Uint8Array, off: number): number {
  return ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
}

/** Reports the message ending inside a section; always false (the walk stops). */
function truncated(section: number, i: number, count: number): false {
  cur.weird("dns_truncated", `${SECTIONS[section]} ${i + 1} of ${count} runs past the message end`);
  return false;
}

/** Reads the question section; false when the rest of the message cannot be walked. */
function readQuestions(msg: DnsMessage): boolean {
  const { buf, end } = cur;
  for (let i = 0; i < msg.qdcount; i++) {
    let next: number;
    if (i < MAX_QUESTIONS) {
      readName(buf, cur.base, cur.pos, end, cur.name);
      next = cur.name.next;
      if (cur.name.error !== NAME_OK) {
        if (i === 0) msg.badQuestion = true;
        if (next < 0 || next >= end) return nameFailed(0, i, msg.qdcount);
        cur.weird(nameWeird(cur.name.error), `question ${i + 1}: ${cur.name.text.slice(0, 64) || "(empty)"}`);
      }
    } else next = skipName(buf, cur.pos, end, false);
    if (next < 0 || next + 4 > end) return truncated(0, i, msg.qdcount);
    if (i < MAX_QUESTIONS && cur.name.error === NAME_OK) {
      msg.questions.push({ name: cur.name.text, qtype: u16(buf, next), qclass: u16(buf, next + 2) });
    }
    cur.pos = next + 4;
  }
  return true;
}

/** A name that makes the rest of the message unreadable: its weird, and false. */
function nameFailed(section: number, i: number, count: number): false {
  const err = cur.name.error;
  if (err === NAME_TRUNCATED) return truncated(section, i, count);
  cur.weird(nameWeird(err), `${SECTIONS[section]} ${i + 1} of ${count}: name unreadable`);
  return false;
}

/** Walks the answer, authority and additional sections; false when it had to stop early. */
function readRecords(msg: DnsMessage): boolean {
  const counts = [msg.ancount, msg.nscount, msg.arcount];
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < counts[s]; i++) {
      if (!readRecord(msg, s + 1, i, counts[s])) return false;
    }
  }
  if (msg.ancount > MAX_ANSWERS) {
    cur.weird("dns_too_many_records", `${msg.ancount} answers, the first ${MAX_ANSWERS} kept`);
  }
  return true;
}

/** One resource record (RFC 1035 §4.1.3) of `section`; false when the walk must stop. */
function readRecord(msg: DnsMessage, section: number, i: number, count: number): boolean {
  const { buf, end } = cur;
  const keep = section === 1 && i < MAX_ANSWERS;
  let owner = "";
  let next: number;
  if (keep) {
    readName(buf, cur.base, cur.pos, end, cur.name);
    next = cur.name.next;
    if (cur.name.error !== NAME_OK) {
      if (next < 0 || next >= end) return nameFailed(section, i, count);
      cur.weird(
        nameWeird(cur.name.error),
        `${SECTIONS[section]} ${i + 1}: owner ${cur.name.text.slice(0, 64)}`,
      );
    }
    owner = cur.name.text;
  } else next = skipName(buf, cur.pos, end, false);
  if (next < 0 || next + 10 > end) return truncated(section, i, count);
  const type = u16(buf, next);
  const rdlen = u16(buf, next + 8);
  const rd = next + 10;
  if (rd + rdlen > end) return truncated(section, i, count);
  const ttl = u32(buf, next + 4);
  if (keep) keepAnswer(msg, owner, type, ttl, rd, rdlen);
  else if (type === T_OPT) readOpt(msg, section, u16(buf, next + 2), ttl, rd, rdlen);
  cur.pos = rd + rdlen;
  return true;
}

/** Decodes an answer's RDATA and keeps it. */
function keepAnswer(
  msg: DnsMessage,
  owner: string,
  type: number,
  ttl: number,
  rd: number,
  rdlen: number,
): void {
  const r = cur.rdata;
  readRdata(cur.buf, cur.base, rd, rdlen, type, cur.name, r);
  if (r.error) cur.weird(r.error, `${typeName(type)} record of ${owner}`);
  // RFC 2181 §8: a TTL with the top bit set is treated as zero.
  const a: DnsAnswer = { name: owner, type: typeName(type), ttl: ttl > 0x7fffffff ? 0 : ttl, data: r.text };
  if (r.target !== undefined && !r.error) a.target = r.target;
  if (r.hints && !r.error) a.hints = r.hints;
  msg.answers.push(a);
}

/** The OPT pseudo-record (RFC 6891 §6.1.1): only one, only in the additional section. */
function readOpt(
  msg: DnsMessage,
  section: number,
  cls: number,
  ttl: number,
  rd: number,
  rdlen: number,
): void {
  if (section !== 3 || msg.edns) {
    cur.weird("dns_bad_opt", section !== 3 ? `OPT in the ${SECTIONS[section]} section` : "second OPT record");
    return;
  }
  const info = parseOpt(cur.buf, rd, rdlen, cls, ttl);
  if (info) msg.edns = info;
  else cur.weird("dns_bad_opt", "option runs past the record");
}
