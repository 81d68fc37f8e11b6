// SETTINGS and GOAWAY payloads (RFC 9113 §6.5, §6.8): the parameters a peer announces, checked against their
// allowed ranges, and the text of a GOAWAY that reports an error.

import { escapeShort } from "../http/http-head.ts";
import { DEFAULT_MAX_FRAME_SIZE, errorName, MAX_MAX_FRAME_SIZE, readU31, readU32 } from "./http2-frames.ts";

/** SETTINGS parameters the decoder acts on or checks (RFC 9113 §6.5.2). */
export const SETTINGS_HEADER_TABLE_SIZE = 0x1;
export const SETTINGS_ENABLE_PUSH = 0x2;
export const SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
export const SETTINGS_MAX_FRAME_SIZE = 0x5;

/** One parameter of a SETTINGS frame, with why its value is out of range when it is. */
export interface Setting {
  /** Identifier. */
  id: number;
  /** Value. */
  value: number;
  /** Set when the value is not allowed (a connection error for a real peer). */
  problem?: string;
}

/** The parameters of a SETTINGS payload whose length is a multiple of 6; unknown ones are kept, unchecked. */
export function readSettings(payload: Uint8Array): Setting[] {
  const out: Setting[] = [];
  for (let off = 0; off + 6 <= payload.length; off += 6) {
    const id = (payload[off] << 8) | payload[off + 1];
    const value = readU32(payload, off + 2);
    const problem = settingProblem(id, value);
    out.push(problem ? { id, value, problem } : { id, value });
  }
  return out;
}

function settingProblem(id: number, value: number): string | undefined {
  if (id === SETTINGS_ENABLE_PUSH && value > 1) return "ENABLE_PUSH must be 0 or 1";
  if (id === SETTINGS_INITIAL_WINDOW_SIZE && value > 0x7fffffff) return "INITIAL_WINDOW_SIZE above 2^31-1";
  if (id === SETTINGS_MAX_FRAME_SIZE && (value < DEFAULT_MAX_FRAME_SIZE || value > MAX_MAX_FRAME_SIZE)) {
    return "MAX_FRAME_SIZE out of range";
  }
  return undefined;
}

/** The weird detail of a GOAWAY payload (≥ 8 bytes) with an error code; undefined for NO_ERROR. */
export function goawayProblem(payload: Uint8Array): string | undefined {
  const code = readU32(payload, 4);
  if (code === 0) return undefined;
  const debug = Buffer.from(payload.buffer, payload.byteOffset + 8, payload.length - 8).toString("latin1");
  return `${errorName(code)}, last stream ${readU31(payload, 0)}${debug ? `: ${escapeShort(debug)}` : ""}`;
}
