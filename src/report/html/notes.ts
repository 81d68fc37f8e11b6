// The closing sections: how phonehome reached these findings (so a reader can weigh them), and the data
// credits that the licences of the attribution data require in every report.

import type { AnalysisReport } from "../report-types.ts";
import { html, type SafeHtml } from "./escape.ts";

/** What phonehome did, what "generic" means, how values are masked, what the levels mean. */
export function renderMethod(report: AnalysisReport): SafeHtml {
  const masking = report.revealed
    ? "This run was asked to reveal them, so the values above are shown in full."
    : "Values in this report are masked: only the first and last few characters are shown, the rest replaced by dots, in the table, the evidence and the excerpts alike.";
  return html`<section id="method" aria-labelledby="method-h">
<h2 id="method-h">How to read this report</h2>
<ul>
<li><strong>What phonehome did.</strong> It read the capture files, rebuilt every TCP and UDP connection, decoded DNS, HTTP, TLS and QUIC handshakes (and the contents of TLS when a key log was given), then looked for the device's identifiers in every layer of every message: as written, and in the encodings apps use (URL and Base64 encoding, hex, hashes such as MD5 and SHA-256, compression, JSON, forms, protobuf). Each finding names the chain of encodings it was found through, outermost first.</li>
<li><strong>Profile and generic findings.</strong> A profile lists the device's own values (IMEI, phone number, contacts...); a match against it is certain. A <em>generic</em> finding is a detector's guess that a value looks like an identifier (a valid IMEI check digit, an advertising-ID format, a key named <code>imei</code>), with a confidence below 1.</li>
<li><strong>Where it went.</strong> The receiver is named from the HTTP Host, the TLS or QUIC server name, the DNS answers seen before the connection, or the certificate, in that order; its country and network owner come from offline IP tables, which give where an address is registered, not always where the server stands.</li>
<li><strong>Severity.</strong> Each finding gets a level (info, low, medium, high, critical) from a published rubric: how sensitive the identifier is, whether it travelled unencrypted, and whether it went to a third party or abroad. The alert level of the run is the highest level found.</li>
<li><strong>Masking.</strong> ${masking}</li>
<li><strong>Limits.</strong> Encrypted connections that were not decrypted can still carry identifiers that no tool can see without the keys; an absence of findings there is not proof of absence.</li>
</ul>
</section>`;
}

/** The map data credit, fixed because the map is drawn by this module, not from the report. */
const MAP_CREDIT = html`<li>World map: <strong>Natural Earth</strong> 1:110m country boundaries (public domain), as TopoJSON from <strong>world-atlas</strong> &copy; 2013-2019 Michael Bostock (ISC licence), drawn with d3-geo.</li>`;

/** The data credits. */
export function renderCredits(report: AnalysisReport): SafeHtml {
  const credits = Array.isArray(report.credits) ? report.credits.slice(0, 50) : [];
  return html`<section id="credits" aria-labelledby="credits-h">
<h2 id="credits-h">Data credits</h2>
<ul>
${credits.map((c) => html`<li><strong>${c.source}</strong> (${c.licence}), ${c.what}. Source: <span class="mono">${c.url}</span></li>`)}
${MAP_CREDIT}
</ul>
<p class="caption">Report written by phonehome ${String(report.tool?.version ?? "")}, schema ${String(report.schema ?? "")}.</p>
</section>`;
}
