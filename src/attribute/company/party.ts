// First or third party: data going to the device's own vendor or to the app's own domain is one thing; the
// same data going to an ad network or an analytics SDK is another. The rubric weighs the difference.

/** Who the first party is: the device vendor (profile) and the app's or the organisation's own domains. */
export interface FirstParty {
  /** Device vendor as the profile or the user names it, e.g. `Xiaomi`. */
  vendor?: string;
  /** Registrable domains (or host suffixes) that belong to the first party, e.g. `example-app.com`. */
  domains?: string[];
}

/** Party of a destination. */
export type Party = "first" | "third" | "unknown";

/**
 * `first` when the company is the vendor or the domain is (under) a first-party domain; `third` when the
 * receiver is known and is neither; `unknown` when nothing says who the first party is or who received it.
 */
export function partyOf(
  company: string | undefined,
  domain: string | undefined,
  firstParty: FirstParty,
): Party {
  const vendorWords = words(firstParty.vendor);
  const own = (firstParty.domains ?? []).map(cleanDomain).filter((d) => d.length > 0);
  if (vendorWords.length === 0 && own.length === 0) return "unknown";
  if (company && vendorWords.length > 0 && sameCompany(words(company), vendorWords)) return "first";
  const d = domain === undefined ? "" : cleanDomain(domain);
  if (d && own.some((o) => d === o || d.endsWith(`.${o}`))) return "first";
  return company || d ? "third" : "unknown";
}

/**
 * Vendor `Xiaomi` is company `Xiaomi`; vendor `Xiaomi Redmi 1S` (a device label) is too, as its words hold
 * the company's first word; company `Umeng (Alibaba)` is vendor `Alibaba` because it names it.
 */
function sameCompany(company: string[], vendor: string[]): boolean {
  if (company.length === 0) return false;
  // A one-letter first word (`X (Twitter)`) is too weak to tie a company to a device label.
  return (company[0].length > 1 && vendor.includes(company[0])) || vendor.every((w) => company.includes(w));
}

/** Lower-case alphanumeric words. */
function words(s: string | undefined): string[] {
  return (s ?? "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

function cleanDomain(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/^\*?\./, "")
    .replace(/\.+$/, "");
}
