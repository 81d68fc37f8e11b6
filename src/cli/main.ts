// The `phonehome` command line: a thin face over app/.

import { Command, CommanderError } from "commander";
import { isDetectWorker, runDetectWorker } from "../app/detect-worker.ts";
import { TOOL_VERSION } from "../app/version.ts";
import { CaptureError } from "../capture/capture-events.ts";
import { KeyLogFileError } from "../decrypt/key-log-file.ts";
import { ProfileError } from "../detect/profile/profile-load.ts";
import { DataFileError } from "../judge/yaml-check.ts";
import { type AnalyzeCommandOptions, analyzeCommand } from "./analyze-command.ts";
import { registerDemoCommand } from "./demo-command.ts";
import { diffCommand } from "./diff-command.ts";
import { EXIT_BAD_INPUT, EXIT_FAILURE } from "./exit-codes.ts";
import { registerGeoCommand } from "./geo-command.ts";
import { formatInfo, infoCommand } from "./info-command.ts";
import { type LogsOptions, logsCommand } from "./logs-command.ts";
import { profileCheck, profileInit } from "./profile-command.ts";
import { THREADS_HELP } from "./threads-option.ts";
import { UsageError } from "./usage-error.ts";

function buildProgram(): Command {
  const program = new Command("phonehome")
    .description("Does a phone leak personal data, which data, and where does it go?")
    .version(TOOL_VERSION)
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
    .option("--keylog <file>", "TLS key log (SSLKEYLOGFILE format) to decrypt TLS with")
    .option("--threads <n>", THREADS_HELP)
    .action(async (file: string, o: LogsOptions) => {
      for (const w of await logsCommand(file, o)) process.stderr.write(`phonehome: warning: ${w}\n`);
    });
  const analyze = program
    .command("analyze")
    .description("find the device's identifiers in the traffic: what leaves, how encoded, to whom, how bad")
    .argument("<capture...>", "pcap, pcapng (optionally gzip-compressed) or HAR files; - for stdin")
    .option("--format <format>", "text, json, jsonl, csv or html", "text")
    .option("--out <file>", "write the output to FILE instead of stdout")
    .option("--evidence <file>", "write the packets of connections with findings to FILE (pcapng)");
  analysisOptions(analyze).action(async (files: string[], o: AnalyzeCommandOptions) => {
    process.exitCode = await analyzeCommand(files, o);
  });
  const diff = program
    .command("diff")
    .description("compare two captures (or saved JSON runs): what changed, identifier by destination")
    .argument("<before>", "capture or `analyze --format json` output")
    .argument("<after>", "capture or `analyze --format json` output")
    .option("--format <format>", "text, json, jsonl, csv or html", "text")
    .option("--out <file>", "write the output to FILE instead of stdout");
  analysisOptions(diff).action(async (before: string, after: string, o: AnalyzeCommandOptions) => {
    process.exitCode = await diffCommand(before, after, o);
  });
  registerDemoCommand(program);
  registerGeoCommand(program);
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

/** The options analyze and diff share. */
function analysisOptions(cmd: Command): Command {
  return cmd
    .option("--profile <file>", "device profile (YAML or JSON); see `phonehome profile init`")
    .option("--home <cc>", "home country (ISO code) for cross-border flags; default the profile's")
    .option("--policy <file>", "organisation policy (YAML): severities by country, kind, host ...")
    .option("--rubric <file>", "severity rubric overriding data/severity.yaml")
    .option("--companies <file>", "extra domain → company/purpose entries (YAML), winning over ours")
    .option("--keylog <file>", "TLS key log (SSLKEYLOGFILE format) to decrypt TLS with")
    .option("--reveal", "write identifier values unmasked")
    .option("--no-generic", "only the profile's values, no generic identifier detectors")
    .option("--fail-on <level>", "exit 3 when the alert level reaches LEVEL (info … critical)")
    .option("--no-progress", "no progress bar on stderr")
    .option("--threads <n>", THREADS_HELP);
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
  if (e instanceof ProfileError || e instanceof DataFileError) {
    for (const l of e.lines()) process.stderr.write(`phonehome: ${l}\n`);
    return EXIT_BAD_INPUT;
  }
  if (e instanceof UsageError || e instanceof KeyLogFileError) {
    process.stderr.write(`phonehome: ${e.message}\n`);
    return EXIT_BAD_INPUT;
  }
  process.stderr.write(
    `phonehome: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  return EXIT_FAILURE;
}

// The bundle is also the detector worker's program (issue 8): a worker started on it runs that instead.
if (isDetectWorker()) runDetectWorker();
else await main(process.argv);
