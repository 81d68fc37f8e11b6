// The commented template `phonehome profile init` writes. It must itself parse as a valid, empty profile
// (a test checks this), so every key is present with an empty value and the examples live in comments.

/** A commented YAML device profile with every key empty. */
export const PROFILE_TEMPLATE = `# phonehome device profile: what this phone knows about itself.
# phonehome looks for every value below in the phone's traffic, in any encoding (URL-encoded, base64, hex,
# MD5/SHA-1/SHA-256 digests, separators and formats). This file is the only place the full values live:
# keep it private. Check it with \`phonehome profile check FILE\`.
#
# Each identifier key takes one value or a list:  imei: "861234567890127"  or  imei: ["...", "..."]
# Quote long numbers so YAML keeps them as written.

# A label for reports, e.g. "Xiaomi Redmi 1S, factory reset, MIUI 5".
device: ""

# The device maker as phonehome's companies list names it (e.g. Xiaomi, Huawei, Samsung): its own servers
# count as first party, everyone else as third party.
vendor: ""

# Domains of the app under test, e.g. ["example-app.com"]: also first party.
first_party_domains: []

# ISO 3166 two-letter code of the phone's home country (e.g. CN, DE, US): national phone numbers are read
# in it, and traffic leaving it is flagged as cross-border.
home_country: ""

# IMEI: 15 digits with its Luhn check digit (*#06# on the phone). Dual-SIM phones have two.
#   imei: ["861234567890127", "861234567890135"]
imei: []

# IMSI of each SIM: 15 digits, MCC + MNC + subscriber number.
imsi: []

# ICCID (SIM serial number): 19-20 digits starting with 89.
iccid: []

# The phone's own numbers, in any format; without a +country code they are read in home_country.
#   phone_number: ["+86 138 0013 8000"]
phone_number: []

# Carrier (operator) names, e.g. "China Mobile".
carrier: []

# Email addresses of accounts signed in on the phone.
email: []

# Android ID (Settings > About > or adb shell settings get secure android_id): 16 hex digits.
android_id: []

# Advertising ID (Google AAID / Apple IDFA): a UUID like 38400000-8cf0-11bd-b23e-10b96e40000d.
aaid: []

# Wi-Fi and Bluetooth MAC addresses, e.g. "a4:50:46:12:34:56".
mac: []

# Hardware serial numbers.
serial: []

# Places the phone has been; coordinates sent within radius_m metres (default 1000) are reported.
#   location:
#     - { lat: 39.9042, lon: 116.4074, radius_m: 500 }
location: []

# Address-book entries: names are matched case-insensitively as whole words.
#   contacts:
#     - name: "Li Lei"
#       phones: ["+86 138 0013 8001"]
#       emails: ["lilei@example.com"]
contacts: []

# Stored text messages: the other party's number and the text (any run of 12+ characters is matched).
#   sms:
#     - number: "+86 138 0013 8004"
#       text: "See you at 8"
sms: []

# Anything else, with the label findings should use.
#   custom:
#     - { label: "loyalty card", value: "1234-5678-9012" }
custom: []
`;
