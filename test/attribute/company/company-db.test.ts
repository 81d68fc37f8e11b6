import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import type { CompanyTable } from "../../../src/attribute/company/companies-file.ts";
import { CompanyDb, hostName } from "../../../src/attribute/company/company-db.ts";
import { PURPOSES } from "../../../src/model/destination.ts";
import { REPO_ROOT } from "../../helpers/corpus.ts";

const db = new CompanyDb();

/** A table planted by the test. */
function table(
  entries: Record<string, [string, string | undefined, (typeof PURPOSES)[number]]>,
): CompanyTable {
  const t: CompanyTable = new Map();
  for (const [suffix, [company, country, purpose]] of Object.entries(entries))
    t.set(suffix, { company, purpose, ...(country && { company_country: country }) });
  return t;
}

test("api.account.xiaomi.com is Xiaomi, seated in China, a vendor service (the 2014 receiver)", () => {
  const info = db.lookup("api.account.xiaomi.com");
  assert.equal(info?.company, "Xiaomi");
  assert.equal(info?.company_country, "CN");
  assert.equal(info?.purpose, "vendor");
  assert.ok(info?.matched.endsWith("xiaomi.com"));
});

test("app-measurement.com is Google analytics (Firebase Analytics' endpoint)", () => {
  const info = db.lookup("app-measurement.com");
  assert.equal(info?.company, "Google");
  assert.equal(info?.purpose, "analytics");
});

test("CNNIC's domains are CNNIC in China", () => {
  for (const h of ["www.cnnic.cn", "cnnic.net.cn"]) {
    assert.equal(db.lookup(h)?.company, "CNNIC", h);
    assert.equal(db.lookup(h)?.company_country, "CN", h);
  }
});

test("IP literals (v4, v6, bracketed, with a port) have no company and no domain", () => {
  for (const ip of [
    "1.2.4.8",
    "203.119.25.1",
    "2001:4860:4860::8888",
    "[2001:db8::1]",
    "[::1]:443",
    "1.2.4.8:80",
  ]) {
    assert.equal(db.lookup(ip), undefined, ip);
    assert.equal(db.domainOf(ip), undefined, ip);
  }
});

test("lookups ignore case and a trailing dot, and match on label boundaries only", () => {
  const mine = new CompanyDb({
    extra: table({ "planted.example": ["Planted", "NL", "cdn"] }),
    builtin: false,
  });
  assert.equal(mine.lookup("WWW.Planted.Example.")?.company, "Planted");
  assert.equal(mine.lookup("planted.example:8080")?.company, "Planted");
  assert.equal(mine.lookup("notplanted.example"), undefined);
  assert.equal(mine.lookup("planted.example.evil.test"), undefined);
  assert.equal(mine.lookup(""), undefined);
});

test("the longest matching suffix wins", () => {
  const mine = new CompanyDb({
    extra: table({ "sdk.example": ["Sdk Co", "US", "cloud"], "ads.sdk.example": ["Sdk Co", "US", "ads"] }),
    builtin: false,
  });
  assert.equal(mine.lookup("x.ads.sdk.example")?.purpose, "ads");
  assert.equal(mine.lookup("x.ads.sdk.example")?.matched, "ads.sdk.example");
  assert.equal(mine.lookup("www.sdk.example")?.purpose, "cloud");
});

test("a user's entries win over ours: company, country and purpose all come from theirs", () => {
  const mine = new CompanyDb({ extra: table({ "xiaomi.com": ["Planted Reseller", "DE", "analytics"] }) });
  const info = mine.lookup("api.account.xiaomi.com");
  assert.deepEqual(info, {
    company: "Planted Reseller",
    company_country: "DE",
    purpose: "analytics",
    matched: "xiaomi.com",
  });
  assert.equal(
    mine.lookup("app-measurement.com")?.company,
    "Google",
    "names theirs do not match fall back to ours",
  );
});

test("domainOf gives the registrable domain per the Public Suffix List", () => {
  assert.equal(db.domainOf("api.account.xiaomi.com"), "xiaomi.com");
  assert.equal(db.domainOf("A.B.vivo.com.cn."), "vivo.com.cn");
  assert.equal(db.domainOf("myapp.firebaseapp.com"), "myapp.firebaseapp.com", "private PSL suffix");
  assert.equal(db.domainOf("cn"), undefined);
});

test("hostName normalises names and rejects what cannot be one", () => {
  assert.equal(hostName("Api.Example.COM."), "api.example.com");
  assert.equal(hostName("bücher.example"), "xn--bcher-kva.example");
  assert.equal(hostName("has space.example"), undefined);
  assert.equal(hostName("a".repeat(300)), undefined);
});

test("data/companies.yaml is seeded with at least 250 domains, each found by its own lookup", () => {
  const doc = parse(readFileSync(join(REPO_ROOT, "data", "companies.yaml"), "utf8")) as {
    companies: Record<string, { country?: string; domains: Record<string, string> }>;
  };
  let n = 0;
  for (const [company, body] of Object.entries(doc.companies)) {
    for (const [suffix, purpose] of Object.entries(body.domains)) {
      n++;
      assert.ok((PURPOSES as readonly string[]).includes(purpose), `${suffix}: ${purpose}`);
      const info = db.lookup(`probe.${suffix}`);
      assert.equal(info?.company, company, suffix);
      assert.equal(info?.matched, suffix);
    }
  }
  assert.ok(n >= 250, `${n} domains`);
});

test("the vendors and SDKs the issue names are all in the seed file", () => {
  const names = [
    "xiaomi.com",
    "xiaomi.net",
    "miui.com",
    "mi.com",
    "mi-img.com",
    "hicloud.com",
    "dbankcloud.com",
    "huawei.com",
    "samsung.com",
    "heytapmobi.com",
    "coloros.com",
    "oppomobile.com",
    "vivo.com.cn",
    "googleapis.com",
    "gstatic.com",
    "firebaseio.com",
    "crashlytics.com",
    "doubleclick.net",
    "googlesyndication.com",
    "graph.facebook.com",
    "appsflyer.com",
    "adjust.com",
    "branch.io",
    "onesignal.com",
    "pangle.io",
    "tiktokv.com",
    "qq.com",
    "gtimg.com",
    "aliyun.com",
    "alicdn.com",
    "ucweb.com",
    "baidu.com",
    "umeng.com",
    "amazonaws.com",
    "microsoft.com",
    "apple.com",
    "cloudflare.com",
    "akamaiedge.net",
    "fastly.net",
    "unityads.unity3d.com",
    "applovin.com",
    "supersonicads.com",
    "mintegral.com",
    "vungle.com",
    "sentry.io",
    "bugsnag.com",
    "mixpanel.com",
    "amplitude.com",
    "segment.io",
  ];
  const missing = names.filter((n) => db.lookup(n) === undefined);
  assert.deepEqual(missing, []);
});
