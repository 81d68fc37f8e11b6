// The `phonehome` command line: a thin face over app/.

import { Command, CommanderError } from "commander";
import { CaptureError } from "../capture/capture-events.ts";
import { EXIT_BAD_INPUT, EXIT_FAILURE } from "./exit-codes.ts";
import { formatInfo, infoCommand } from "./info-command.ts";
import { logsCommand } from "./logs-command.ts";
import { UsageError } from "./usage-error.ts";

const VERSION = "0.1.0";

function buildProgram(): Command {
  const program = new Command("phonehome")
    .description("Does a phone leak personal data, which data, and where does it go?")
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError();
  program
    .command("info")
    .description("summarise captures, like capinfos")
    .argument("<capture...>", "pcap, pcapng (optionally gzip-compressed) or HAR files; - for stdin")
    .option("--json", "one JSON document")
    .action(async (files: string[], o: { json?: boolean }) => {
      const infos = await infoCommand(files);
      const text = o.json
        ? JSON.stringify(infos.length === 1 ? infos[0] : infos, null, 2)
        : infos.map(formatInfo).join("\n\n");
      process.stdout.write(`${text}\n`);
    });
  program
    .command("logs")
    .description("write the records (conn, weird, ...) as JSONL")
    .argument("<capture>", "pcap, pcapng (optionally gzip-compressed) or HAR file; - for stdin")
    .option("--out <dir>", "write one <type>.jsonl per record type into DIR")
    .option("--log <type>", "only this record type (to stdout unless --out)")
    .action(async (file: string, o: { out?: string; log?: string }) => {
      for (const w of await logsCommand(file, o)) process.stderr.write(`phonehome: warning: ${w}\n`);
    });
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    process.exitCode = reportError(e);
  }
}

/** One line on stderr, and the exit code that goes with it. */
function reportError(e: unknown): number {
  // commander has already printed its message (or the help); only the exit code is ours to set.
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
  if (e instanceof CaptureError) {
    process.stderr.write(`phonehome: ${e.line()}\n`);
    return EXIT_BAD_INPUT;
  }
  if (e instanceof UsageError) {
    process.stderr.write(`phonehome: ${e.message}\n`);
    return EXIT_BAD_INPUT;
  }
  process.stderr.write(
    `phonehome: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  return EXIT_FAILURE;
}

await main(process.argv);
