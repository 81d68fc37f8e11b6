import { runCapture } from "../../../src/app/capture-run.ts";
const f = process.argv[2];
const t0 = performance.now();
let n = 0;
const st = await runCapture(f, { onRecord: () => {}, decoders: [{ name: "x", protos: ["tcp"], probe: (b) => b[0] === 0x47 || b[0] === 0x48, create: () => ({ data(_f, b) { n += b.length; return true; }, gap() {}, end() {} }) }] });
const s = (performance.now() - t0) / 1000;
console.log(`${(st.bytes / 1e6 / s).toFixed(0)} MB/s`, "bytes to consumer", n);
