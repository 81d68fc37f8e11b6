// The one list of protocol decoders, in probe order. Adding a protocol is one folder and one line here.

import type { StreamDecoderDefinition } from "./stream-decoder.ts";

/** Every stream decoder phonehome runs. */
export const STREAM_DECODERS: readonly StreamDecoderDefinition[] = [];
