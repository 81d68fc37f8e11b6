// Builds genuinely protected QUIC Initial packets (RFC 9001 §5) for tests: its own key schedule (checked
// against the RFC samples in quic-builder.test.ts), AES-128-GCM sealing and header protection, plus the
// unprotected long/short packets a handshake also has. Test helper only.

import { createCipheriv, createHmac } from "node:crypto";
import { type ClientHelloOptions, tlsClientHello, tlsServerHello } from "../../helpers/app-messages.ts";

export const V1 = 0x00000001;
export const V2 = 0x6b3343cf;

const SALTS: Record<number, string> = {
  [V1]: "38762cf7f55934b34d179ae6a4c80cadccbb7f0a",
  [V2]: "0dede3def700a6db819381be6e269dcbf9bd2ed9",
};

function hmac(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac("sha256", key).update(data).digest());
}

function expandLabel(secret: Uint8Array, label: string, len: number): Uint8Array {
  const l = Buffer.from(`tls13 ${label}`, "latin1");
  return hmac(secret, Uint8Array.from([len >> 8, len & 0xff, l.length, ...l, 0, 1])).subarray(0, len);
}

/** Key, IV and header-protection key of one side for a client-chosen DCID. */
export function builderKeys(version: number, dcid: Uint8Array, server: boolean) {
  const initial = hmac(Buffer.from(SALTS[version], "hex"), dcid);
  const secret = expandLabel(initial, server ? "server in" : "client in", 32);
  const p = version === V2 ? "quicv2 " : "quic ";
  return {
    key: expandLabel(secret, `${p}key`, 16),
    iv: expandLabel(secret, `${p}iv`, 12),
    hp: expandLabel(secret, `${p}hp`, 16),
  };
}

/** A QUIC varint of 1, 2, 4 or 8 bytes (RFC 9000 §16), minimal unless `size` is given. */
export function varint(v: number, size?: number): number[] {
  const n = size ?? (v < 64 ? 1 : v < 16384 ? 2 : v < 2 ** 30 ? 4 : 8);
  const out: number[] = [];
  let x = v;
  for (let i = 0; i < n; i++) {
    out.unshift(x % 256);
    x = Math.floor(x / 256);
  }
  out[0] |= [0, 0x40, 0, 0x80, 0, 0, 0, 0xc0][n - 1];
  return out;
}

/** A CRYPTO frame (RFC 9000 §19.6). */
export function cryptoFrame(offset: number, data: Uint8Array): Uint8Array {
  return Uint8Array.from([0x06, ...varint(offset), ...varint(data.length), ...data]);
}

/** A transport CONNECTION_CLOSE frame (RFC 9000 §19.19) with an empty reason. */
export function closeFrame(code: number): Uint8Array {
  return Uint8Array.from([0x1c, ...varint(code), 0x00, 0x00]);
}

/** The ClientHello handshake message (4-byte header + body) the TLS helper builds, without its record. */
export function clientHelloMessage(o: ClientHelloOptions): Uint8Array {
  return tlsClientHello({ tls13: true, ...o }).subarray(5);
}

/** A ServerHello handshake message. */
export function serverHelloMessage(): Uint8Array {
  return tlsServerHello().subarray(5);
}

/** What an Initial packet holds. */
export interface InitialSpec {
  version?: number;
  /** Destination and Source Connection IDs of the header. */
  dcid: Uint8Array;
  scid: Uint8Array;
  /** The client's first DCID, which the keys come from (default `dcid`, right for the client's first packet). */
  keyDcid?: Uint8Array;
  /** Server-sent (server keys). */
  server?: boolean;
  pn: number;
  pnLen?: 1 | 2 | 3 | 4;
  /** Plaintext frames. */
  frames: Uint8Array;
  /** PADDING appended until the packet has this many bytes (clients pad to 1200, RFC 9000 §14.1). */
  padTo?: number;
  token?: Uint8Array;
}

/** A protected Initial packet: sealed with AES-128-GCM, then header-protected (RFC 9001 §5.3, §5.4). */
export function sealInitial(s: InitialSpec): Uint8Array {
  const version = s.version ?? V1;
  const pnLen = s.pnLen ?? 4;
  const k = builderKeys(version, s.keyDcid ?? s.dcid, s.server === true);
  const typeBits = version === V2 ? 1 : 0;
  const token = s.token ?? new Uint8Array(0);
  const headLen =
    1 + 4 + 1 + s.dcid.length + 1 + s.scid.length + varint(token.length).length + token.length + 2;
  let plain = s.frames;
  const minPlain = Math.max(4 - pnLen, (s.padTo ?? 0) - headLen - pnLen - 16);
  if (plain.length < minPlain) {
    const padded = new Uint8Array(minPlain);
    padded.set(plain);
    plain = padded;
  }
  const header = Uint8Array.from([
    0xc0 | (typeBits << 4) | (pnLen - 1),
    ...pnNumber(version, 4),
    s.dcid.length,
    ...s.dcid,
    s.scid.length,
    ...s.scid,
    ...varint(token.length),
    ...token,
    ...varint(pnLen + plain.length + 16, 2),
    ...pnNumber(s.pn, pnLen),
  ]);
  const nonce = Uint8Array.from(k.iv);
  for (let i = 0, x = s.pn; i < 8; i++, x = Math.floor(x / 256)) nonce[11 - i] ^= x % 256;
  const c = createCipheriv("aes-128-gcm", k.key, nonce);
  c.setAAD(header);
  const sealed = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
  const out = new Uint8Array(header.length + sealed.length);
  out.set(header);
  out.set(sealed, header.length);
  const pnOff = header.length - pnLen;
  const ecb = createCipheriv("aes-128-ecb", k.hp, null);
  ecb.setAutoPadding(false);
  const mask = ecb.update(out.subarray(pnOff + 4, pnOff + 20));
  out[0] ^= mask[0] & 0x0f;
  for (let i = 0; i < pnLen; i++) out[pnOff + i] ^= mask[1 + i];
  return out;
}

function pnNumber(pn: number, len: number): number[] {
  const out: number[] = [];
  for (let i = len - 1; i >= 0; i--) out.push(Math.floor(pn / 256 ** i) % 256);
  return out;
}

/** An opaque long-header packet of another type (Handshake, 0-RTT), `len` bytes after the Length field. */
export function opaqueLong(
  version: number,
  type: "handshake" | "0rtt",
  dcid: Uint8Array,
  scid: Uint8Array,
  len: number,
) {
  const bits = version === V2 ? { "0rtt": 2, handshake: 3 }[type] : { "0rtt": 1, handshake: 2 }[type];
  const body = new Uint8Array(len).fill(0xa5);
  return Uint8Array.from([
    0xc0 | (bits << 4) | 1,
    ...pnNumber(version, 4),
    dcid.length,
    ...dcid,
    scid.length,
    ...scid,
    ...varint(len, 2),
    ...body,
  ]);
}

/** A Retry packet (RFC 9000 §17.2.5) with a token and a (fake) 16-byte integrity tag. */
export function retryPacket(version: number, dcid: Uint8Array, scid: Uint8Array): Uint8Array {
  const bits = version === V2 ? 0 : 3;
  const token = Buffer.from("token", "latin1");
  return Uint8Array.from([
    0xc0 | (bits << 4),
    ...pnNumber(version, 4),
    dcid.length,
    ...dcid,
    scid.length,
    ...scid,
    ...token,
    ...new Uint8Array(16),
  ]);
}

/** A short-header (1-RTT) packet: fixed bit set, then opaque bytes. */
export function shortPacket(dcid: Uint8Array, len: number): Uint8Array {
  return Uint8Array.from([0x41, ...dcid, ...new Uint8Array(len).fill(0x5a)]);
}

/** Datagram of several packets, optionally followed by zero padding (which has a clear fixed bit). */
export function datagram(packets: Uint8Array[], zeroPad = 0): Uint8Array {
  const total = packets.reduce((n, p) => n + p.length, 0) + zeroPad;
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of packets) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Hex text to bytes. */
export function bytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ""), "hex"));
}
