// Writes the bundled examples: the 2014 Redmi 1S test reconstructed (profile, the clear-text first test, the
// TLS re-test after the update with its key log embedded) and an idle Redmi Note talking to CNNIC. Every
// identifier is fake. Run: npm run example:make. The pcap files come out byte for byte the same on every
// machine; the pcapng holds real TLS, whose keys and ciphertext differ on every run.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterPcapng, buildAfter } from "./after-capture.ts";
import { buildBefore } from "./before-capture.ts";
import { EXAMPLE } from "./example-data.ts";
import { buildIdle } from "./idle-capture.ts";
import { pcapFile } from "./lib/frames.ts";

export { EXAMPLE, IDLE, luhnDigit, national } from "./example-data.ts";

/** The files the script writes, by role. */
export const EXAMPLE_FILES = {
  profile: "redmi-1s-2014.profile.yaml",
  before: "redmi-1s-2014-before.pcap",
  after: "redmi-1s-2014-after.pcapng",
  idle: "redmi-note-idle.pcap",
  /** The first test under the name README used before the demo existed (same bytes as `before`). */
  legacy: "redmi-1s-2014.pcap",
} as const;

/** This folder. */
export const EXAMPLES_DIR = fileURLToPath(new URL(".", import.meta.url));

/** The device profile in YAML: the values the examples plant, under the keys the analyzer reads. */
export function profileYaml(): string {
  const e = EXAMPLE;
  const q = (v: string) => JSON.stringify(v);
  const lines = [
    "# Device profile of the bundled 2014 Redmi 1S example (redmi-1s-2014-before.pcap, -after.pcapng).",
    "# Every value is fake; the IMEI has a valid Luhn check digit. The lab was in Taiwan.",
    `device: ${q(e.device)}`,
    `vendor: ${q(e.vendor)}`,
    `home_country: ${e.homeCountry}`,
    `imei: ${q(e.imei)}`,
    `imsi: ${q(e.imsi)}`,
    `phone_number: ${q(e.phone)}`,
    `carrier: ${q(e.carrier)}`,
    "contacts:",
    ...e.contacts.flatMap((c) => [`  - name: ${q(c.name)}`, `    phones: [${c.phones.map(q).join(", ")}]`]),
    "sms:",
    ...e.sms.flatMap((m) => [`  - number: ${q(m.number)}`, `    text: ${q(m.text)}`]),
  ];
  return `${lines.join("\n")}\n`;
}

/** The deterministic files (profile and pcaps), by file name. */
export function deterministicFiles(): Record<string, Uint8Array | string> {
  const before = pcapFile(buildBefore());
  return {
    [EXAMPLE_FILES.profile]: profileYaml(),
    [EXAMPLE_FILES.before]: before,
    [EXAMPLE_FILES.legacy]: before,
    [EXAMPLE_FILES.idle]: pcapFile(buildIdle()),
  };
}

/** Writes every example file into `dir`; returns one line per file written. */
export async function makeExamples(dir: string = EXAMPLES_DIR): Promise<string[]> {
  const lines: string[] = [];
  for (const [name, bytes] of Object.entries(deterministicFiles())) {
    writeFileSync(join(dir, name), bytes);
    lines.push(`${name} (${bytes.length} bytes)`);
  }
  const after = await buildAfter();
  const bytes = afterPcapng(after);
  writeFileSync(join(dir, EXAMPLE_FILES.after), bytes);
  const tls = after.sessions.map((s) => `${s.version} ${s.cipher}`).join(", ");
  lines.push(`${EXAMPLE_FILES.after} (${bytes.length} bytes; ${tls})`);
  return lines;
}

/** Entry point of `npm run example:make`. */
export async function main(): Promise<void> {
  for (const l of await makeExamples()) process.stdout.write(`wrote examples/${l}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
