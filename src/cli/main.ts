// The `phonehome` command line: a thin face over app/.

import { Command, CommanderError } from "commander";
import { CaptureError } from "../capture/capture-events.ts";
import { ProfileError } from "../detect/profile/profile-load.ts";
import { type AnalyzeCommandOptions, analyzeCommand } from "./analyze-command.ts";
import { EXIT_BAD_INPUT, EXIT_FAILURE } from "./exit-codes.ts";
import { formatInfo, infoCommand } from "./info-command.ts";
import { type LogsOptions, logsCommand } from "./logs-command.ts";
import { profileCheck, profileInit } from "./profile-command.ts";
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
    .option("--profile <file>", "device profile (YAML or JSON): adds finding records")
    .option("--reveal", "write identifier values unmasked")
    .action(async (file: string, o: LogsOptions) => {
      for (const w of await logsCommand(file, o)) process.stderr.write(`phonehome: warning: ${w}\n`);
    });
  program
    .command("analyze")
    .description("find the device's identifiers in the traffic: what leaves, how encoded, to whom")
    .argument("<capture...>", "pcap, pcapng (optionally gzip-compressed) or HAR files; - for stdin")
    .option("--profile <file>", "device profile (YAML or JSON); see `phonehome profile init`")
    .option("--format <format>", "text, json or jsonl", "text")
    .option("--out <file>", "write the output to FILE instead of stdout")
    .option("--reveal", "write identifier values unmasked")
    .option("--no-generic", "only the profile's values, no generic identifier detectors")
    .action((files: string[], o: AnalyzeCommandOptions) => analyzeCommand(files, o));
  const profile = program
    .command("profile")
    .description("device profiles: what the phone knows about itself");
  profile
    .command("init")
    .description("write a commented profile template")
    .argument("[file]", "where to write it (stdout when absent)")
    .option("--force", "overwrite an existing file")
    .action((file: string | undefined, o: { force?: boolean }) => {
      const text = profileInit(file, o.force);
      if (text) process.stdout.write(text);
    });
  profile
    .command("check")
    .description("validate a profile and count the patterns it expands to")
    .argument("<file>", "the profile")
    .action((file: string) => {
      process.stdout.write(`${profileCheck(file).join("\n")}\n`);
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
  if (e instanceof ProfileError) {
    for (const l of e.lines()) process.stderr.write(`phonehome: ${l}\n`);
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
