// Whether tshark (the reference implementation) is here; conformance tests skip with a message when not.

import { spawnSync } from "node:child_process";

/** True when tshark is on PATH. */
export const HAS_TSHARK = spawnSync("tshark", ["--version"], { stdio: "ignore" }).status === 0;

/** Message for `test(..., { skip })` when tshark is absent. */
export const NO_TSHARK = HAS_TSHARK ? false : "tshark is not installed";
