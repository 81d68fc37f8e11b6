// DNS over TCP (RFC 1035 §4.2.2, RFC 7766 §8): each message is preceded by a two-byte length, a stream may
// carry many messages, and a message may arrive split over any number of segments. One framer per direction:
// whole messages inside a segment are handed on in place (no copy); only a split message is buffered, in a
// buffer of exactly its announced size (at most 64 KiB).

/** Receives one message as `[off, end)` of `buf` (valid during the call); false stops the stream. */
export type MessageSink = (buf: Uint8Array, off: number, end: number) => boolean;

/** Smallest message: the header. */
const MIN_MESSAGE = 12;

/** Splits one direction of a TCP stream into DNS messages. */
export class DnsTcpFramer {
  /** A split length prefix: its first byte, or -1. */
  private firstLenByte = -1;
  /** The message being assembled, when one is split over segments. */
  private buf: Uint8Array | undefined = undefined;
  private have = 0;
  /** Length of the last bad prefix (below the 12-byte header), for the caller's weird. */
  badLength = -1;

  /** True while part of a message is held (the stream ended inside it if nothing more comes). */
  get holding(): boolean {
    return this.buf !== undefined || this.firstLenByte >= 0;
  }

  /** Bytes held for a split message. */
  get held(): number {
    return this.have + (this.firstLenByte >= 0 ? 1 : 0);
  }

  /** Forgets a partly received message (after a gap the framing is lost). */
  reset(): void {
    this.buf = undefined;
    this.have = 0;
    this.firstLenByte = -1;
  }

  /** Feeds in-order bytes; false when a length prefix is impossible or the sink asked to stop. */
  push(bytes: Uint8Array, sink: MessageSink): boolean {
    let p = 0;
    const n = bytes.length;
    while (p < n) {
      if (this.buf !== undefined) {
        p = this.fill(bytes, p);
        if (this.have < this.buf.length) return true;
        const msg = this.buf;
        this.reset();
        if (!sink(msg, 0, msg.length)) return false;
        continue;
      }
      let len: number;
      if (this.firstLenByte >= 0) {
        len = (this.firstLenByte << 8) | bytes[p++];
        this.firstLenByte = -1;
      } else if (n - p >= 2) {
        len = (bytes[p] << 8) | bytes[p + 1];
        p += 2;
        if (len >= MIN_MESSAGE && n - p >= len) {
          if (!sink(bytes, p, p + len)) return false;
          p += len;
          continue;
        }
      } else {
        this.firstLenByte = bytes[p++];
        continue;
      }
      if (len < MIN_MESSAGE) {
        this.badLength = len;
        return false;
      }
      this.buf = new Uint8Array(len);
      this.have = 0;
    }
    return true;
  }

  /** Copies what `bytes` has of the split message; returns the new read position. */
  private fill(bytes: Uint8Array, p: number): number {
    const buf = this.buf!;
    const take = Math.min(buf.length - this.have, bytes.length - p);
    buf.set(bytes.subarray(p, p + take), this.have);
    this.have += take;
    return p + take;
  }
}
