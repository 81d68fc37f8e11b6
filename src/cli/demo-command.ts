// `phonehome demo [--out DIR] [--force]`: writes the bundled 2014 example into a folder and shows what
// phonehome makes of it (the first test, the re-test after the update, and the diff). A thin face over
// app/demo.ts running the same analysis as `phonehome analyze`.

import type { Command } from "commander";
import pc from "picocolors";
import { analyzeFiles } from "../app/analyze-run.ts";
import { DEFAULT_DEMO_DIR, type DemoAnalyze, DemoError, runDemo } from "../app/demo.ts";
import { loadRules, runServices } from "../app/run-services.ts";
import { UsageError } from "./usage-error.ts";

/** Options of the demo command. */
export interface DemoCommandOptions {
  /** Folder to write into. */
  out?: string;
  /** Overwrite demo files already there. */
  force?: boolean;
}

/** Runs the demo, writing to stdout; a demo that cannot start becomes a UsageError (exit 2). */
export async function demoCommand(o: DemoCommandOptions, analyze: DemoAnalyze): Promise<void> {
  try {
    await runDemo({
      dir: o.out ?? DEFAULT_DEMO_DIR,
      force: o.force,
      // picocolors decides as analysts expect: a TTY, unless NO_COLOR; FORCE_COLOR forces it.
      color: pc.isColorSupported,
      analyze,
      write: (text) => process.stdout.write(text),
    });
  } catch (e) {
    if (e instanceof DemoError) throw new UsageError(e.message);
    throw e;
  }
}

/** The analysis `phonehome analyze --profile F` runs with no other option: bundled tables and rubric. */
export function defaultDemoAnalyze(): DemoAnalyze {
  const rules = loadRules();
  return (files, profile) => {
    const { ip, companies, judge, credits } = runServices(rules);
    return analyzeFiles(files, { profile, ip, companies, judge, credits });
  };
}

/** Adds `demo` to the program; tests hand in a stand-in `analyze`, the CLI leaves the default. */
export function registerDemoCommand(program: Command, analyze?: DemoAnalyze): void {
  program
    .command("demo")
    .description("write the bundled 2014 Redmi 1S example into a folder and analyse it: the first start")
    .option("--out <dir>", `folder to write the example files into (default ./${DEFAULT_DEMO_DIR})`)
    .option("--force", "overwrite example files already in that folder")
    .action((o: DemoCommandOptions) => demoCommand(o, analyze ?? defaultDemoAnalyze()));
}
