// The tool's version, written into every report so a saved run says what made it.

/** phonehome's version (kept equal to package.json's by a test). */
export const TOOL_VERSION = "0.1.0";
