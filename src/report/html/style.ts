// The report's one stylesheet and the Content-Security-Policy that allows exactly it. The page carries no
// script and loads nothing: `default-src 'none'` blocks every fetch, and the style is allowed by its SHA-256
// hash (CSP Level 3 §8.2), so an injected <style> or style attribute would not apply even if escaping failed.

import { createHash } from "node:crypto";

/** Severity colours (also used by the map and the timeline); each is always shown with its word. */
const SEVERITY_CSS = `
.sev-critical{--c:#991b1b;--t:#fff}.sev-high{--c:#c2410c;--t:#fff}.sev-medium{--c:#d97706;--t:#111}
.sev-low{--c:#0369a1;--t:#fff}.sev-info{--c:#6b7280;--t:#fff}
.badge{display:inline-block;padding:0 .45em;border-radius:.3em;background:var(--c);color:var(--t);font-weight:600;font-size:.85em;text-transform:uppercase;letter-spacing:.03em;white-space:nowrap}
`;

/** The map and timeline SVG classes. */
const CHART_CSS = `
svg.map,svg.timeline{width:100%;height:auto;display:block;border:1px solid #cbd5e1;background:#fff}
.map .sea{fill:#eef4f8}.map .land{fill:#e2e8f0}.map .borders{fill:none;stroke:#fff;stroke-width:.6}
.map .country{stroke:#fff;stroke-width:.6}.map .country[class*=sev-]{fill:var(--c)}.map .country.contacted{fill:#b8c4d3}
.map .country.home{stroke:#1e3a8a;stroke-width:1.4}.map .country.home:not([class*=sev-]):not(.contacted){fill:#dbeafe}
.map .arc{fill:none;stroke-width:1.6;stroke-linecap:round}.map .arc[class*=sev-]{stroke:var(--c)}
.map .arc.contacted{stroke:#64748b;stroke-dasharray:4 3}
.map .marker circle{stroke:#fff;stroke-width:1.2}.map .marker[class*=sev-] circle{fill:var(--c)}
.map .marker.contacted circle{fill:#64748b}.map .marker.home rect{fill:#1e3a8a}
.map .marker text,.timeline text{font-size:11px;fill:#111;paint-order:stroke;stroke:#fff;stroke-width:3px}
.timeline .band{fill:#fff}.timeline .odd .band{fill:#f8fafc}.timeline .axis line{stroke:#e2e8f0}
.timeline .bar{fill:#94a3b8}.timeline .bar.carried{stroke:#111;stroke-width:1}
.timeline .tr-cleartext{fill:#c026d3}.timeline .tr-tls{fill:#64748b}.timeline .tr-tls-decrypted{fill:#0d9488}
.timeline .tr-quic{fill:#7c3aed}.timeline .tr-har,.timeline .tr-proxy{fill:#a16207}
.timeline .dot{fill:var(--c);stroke:#fff;stroke-width:1.2}
.legend{display:flex;flex-wrap:wrap;gap:.4em 1.2em;list-style:none;padding:0;margin:.5em 0}
.legend li{display:flex;align-items:center;gap:.35em}.swatch{width:14px;height:14px}
.swatch [class*=sev-]{fill:var(--c)}.swatch .contacted{fill:#b8c4d3}.swatch .home{fill:#1e3a8a}
.swatch .tr-cleartext{fill:#c026d3}.swatch .tr-tls{fill:#64748b}.swatch .tr-tls-decrypted{fill:#0d9488}
.swatch .tr-quic{fill:#7c3aed}.swatch .tr-har,.swatch .tr-proxy{fill:#a16207}
`;

/** Page layout, tables, evidence and print rules. */
const PAGE_CSS = `
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#111;background:#fff;line-height:1.45}
body{margin:0 auto;max-width:70rem;padding:1rem 1.5rem 3rem}
h1{font-size:1.6rem;margin:.2em 0}h2{font-size:1.3rem;margin:1.8em 0 .5em;border-bottom:2px solid #e2e8f0}
h3{font-size:1.05rem;margin:1.3em 0 .3em;overflow-wrap:anywhere}
.banner{background:var(--c);color:var(--t);padding:.8rem 1.2rem;border-radius:.4rem;margin:1rem 0}
.banner h2{border:0;margin:0;font-size:1.4rem}.banner p{margin:.3em 0;font-size:1.05rem}.banner ul{margin:.3em 0}
.meta{color:#374151;margin:.2em 0}
table{border-collapse:collapse;width:100%;margin:.4em 0 1em;font-size:.92rem}
caption{text-align:left;font-weight:600;padding:.2em 0}
th,td{border:1px solid #d1d5db;padding:.25em .45em;text-align:left;vertical-align:top;overflow-wrap:break-word}
td code,td.mono,td .mono,tbody th{overflow-wrap:anywhere}
thead th{background:#f1f5f9}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
code,pre,.mono{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.88em}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f8fafc;border:1px solid #e2e8f0;padding:.4em .6em;margin:0}
.finding{border:1px solid #d1d5db;border-left:.4rem solid var(--c);border-radius:.3rem;padding:.2rem .9rem .7rem;margin:.9rem 0}
.finding dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;margin:.4em 0}
.finding dt{font-weight:600;color:#374151}.finding dd{margin:0;overflow-wrap:anywhere}
.warn{background:#fef3c7;border:1px solid #d97706;padding:.4em .8em;border-radius:.3em}
.caption{color:#374151;font-size:.9rem}
figure{margin:0}
a{color:#1d4ed8}
@media print{
body{max-width:none;padding:0;font-size:10pt}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
h2{break-after:avoid}.finding,tr,svg{break-inside:avoid}
a{color:inherit;text-decoration:none}nav{display:none}
}
`;

/** The stylesheet, exactly as written into the one `<style>` element. */
export const REPORT_STYLE = (PAGE_CSS + SEVERITY_CSS + CHART_CSS).trim();

/** The CSP source expression allowing a style by its SHA-256 digest (base64). */
export function styleHashSource(style: string): string {
  return `'sha256-${createHash("sha256").update(style, "utf8").digest("base64")}'`;
}

/**
 * The policy: nothing may load or run; only the stylesheet with this exact text applies. `base-uri` and
 * `form-action` are not covered by `default-src`, so they are closed too; `frame-ancestors` is left out
 * because a <meta> policy cannot carry it (browsers ignore it there with a console error).
 */
export function contentSecurityPolicy(style: string): string {
  return `default-src 'none'; style-src ${styleHashSource(style)}; base-uri 'none'; form-action 'none'`;
}
