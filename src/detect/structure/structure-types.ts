// The interface between the structure walker and its format decoders: a decoder sees one view's bytes and
// hands each layer it decodes to a ChildSink; the walker turns those into views and recurses into them.

/** Where a format decoder sends the layers it decoded from one view. */
export interface ChildSink {
  /**
   * Emits one decoded layer. `step`/`at` become the chain step; `key`/`field` describe the value (undefined
   * `key`/`field` keep the parent's, as transforms like base64 do). Returns false once the walk's view budget
   * is spent, so a decoder stops early.
   */
  emit(
    data: Uint8Array,
    step: string,
    at: string | undefined,
    key: string | undefined,
    field: string | undefined,
    leaf: boolean | undefined,
  ): boolean;
  /** Claims `n` bytes of the derived-bytes budget before allocating them; false (and nothing claimed) when over. */
  reserve(n: number): boolean;
  /** Derived bytes still available (caps a decompression). */
  bytesLeft(): number;
  /** Cap on one decompression's output. */
  maxDecompressed: number;
  /** Reports a bounded-walk oddity (each name once per walk). */
  weird(name: StructureWeirdName, detail: string): void;
  /** True when this view is the payload itself and its layer is a request URI (so `a=b` parts are a query). */
  isUri: boolean;
}

/** Weird names the structure walker reports. */
export const STRUCTURE_WEIRD_NAMES = [
  "structure_view_limit",
  "structure_derived_bytes_limit",
  "structure_decompressed_size_limit",
] as const;
/** One of STRUCTURE_WEIRD_NAMES. */
export type StructureWeirdName = (typeof STRUCTURE_WEIRD_NAMES)[number];

/** A format decoder: returns true when it recognised the bytes as its format (whether or not it emitted). */
export type FormatDecoder = (data: Uint8Array, out: ChildSink) => boolean;
