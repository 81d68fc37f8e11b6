// Digests of a normalised form: MD5, SHA-1 and SHA-256, each as hex (either case), base64 (standard and
// URL-safe, unpadded so a padded or stripped digest both match) and the raw digest bytes (what a binary
// protocol, or a base64 string decoded by the structured decoder, carries).

import { digest as hashOf } from "../../session/digest.ts";
import type { Encoded } from "./encodings.ts";

/** Digest algorithms tried on every normalised form. */
export const HASH_ALGORITHMS = ["md5", "sha1", "sha256"] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

const ascii = new TextEncoder();

/** Digest needles of `bytes`; steps name the hash as `md5(<kind>)`. */
export function digestEncodings(bytes: Uint8Array, kind: string): Encoded[] {
  const out: Encoded[] = [];
  for (const alg of HASH_ALGORITHMS) {
    const digest = hashOf(alg, bytes);
    const step = `${alg}(${kind})`;
    out.push({
      bytes: ascii.encode(digest.toString("hex")),
      variant: `${alg}-hex`,
      steps: [step],
      caseInsensitive: true,
    });
    const b64 = digest.toString("base64").replace(/=+$/, "");
    out.push({
      bytes: ascii.encode(b64),
      variant: `${alg}-base64`,
      steps: ["base64", step],
      caseInsensitive: false,
    });
    const b64url = digest.toString("base64url");
    if (b64url !== b64) {
      out.push({
        bytes: ascii.encode(b64url),
        variant: `${alg}-base64url`,
        steps: ["base64", step],
        caseInsensitive: false,
      });
    }
    out.push({ bytes: new Uint8Array(digest), variant: `${alg}-raw`, steps: [step], caseInsensitive: false });
  }
  return out;
}
