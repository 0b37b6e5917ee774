#!/usr/bin/env node
// Builds Arbiter's price catalog (data/catalog/{prices,fx,models}.json) and the vendors' published benchmark claims
// (data/catalog/claims.json) from the researched catalog in ../shared/catalog. Every hand decision is in the tables
// below, with its reason, and is written into the record it changes (`normalization`), so the transformation can be
// audited line by line. The output is deterministic: running the script twice gives byte-identical files.
//
//   node scripts/build-catalog.mjs                 # read ../shared/catalog, write data/catalog
//   node scripts/build-catalog.mjs --check         # exit 1 if data/catalog differs from what would be written
//   node scripts/build-catalog.mjs --from DIR --out DIR
//
// The committed files in data/catalog are what Arbiter reads (src/pricing/catalog.ts validates them with zod).
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

// ─── Providers ──────────────────────────────────────────────────────────────────────────────────────────────────────
// `provider` in a normalized record is who sells the API, spelled like Arbiter's provider presets.
// homeRegion: which list is "the vendor's own" when a model has both. dateOffset: the UTC offset in which a date
// without a time ("2024-05-21", "2024-05") is read: midnight Beijing time (UTC+8, no DST) for mainland-Chinese
// vendors, whose announcements are dated in Beijing time (DeepSeek: "北京时间 2025-02-08 24:00" = 16:00 UTC);
// midnight UTC for everyone else (US vendors' snapshot dates; the error is at most a few hours).
const PROVIDERS = {
  deepseek: { name: "DeepSeek", homeRegion: "cn", dateOffset: "+08:00" },
  qwen: { name: "Alibaba Cloud Model Studio (DashScope)", homeRegion: "cn", dateOffset: "+08:00" },
  doubao: { name: "ByteDance Volcano Engine (Ark)", homeRegion: "cn", dateOffset: "+08:00" },
  ernie: { name: "Baidu AI Cloud (Qianfan)", homeRegion: "cn", dateOffset: "+08:00" },
  hunyuan: { name: "Tencent Cloud (Hunyuan)", homeRegion: "cn", dateOffset: "+08:00" },
  moonshot: { name: "Moonshot AI", homeRegion: "cn", dateOffset: "+08:00" },
  zhipu: { name: "Zhipu AI", homeRegion: "cn", dateOffset: "+08:00" },
  minimax: { name: "MiniMax", homeRegion: "cn", dateOffset: "+08:00" },
  openai: { name: "OpenAI", homeRegion: "intl", dateOffset: "+00:00" },
  anthropic: { name: "Anthropic", homeRegion: "intl", dateOffset: "+00:00" },
  google: { name: "Google", homeRegion: "intl", dateOffset: "+00:00" },
  together: { name: "Together AI", homeRegion: "intl", dateOffset: "+00:00" },
  fireworks: { name: "Fireworks AI", homeRegion: "intl", dateOffset: "+00:00" },
  bedrock: { name: "AWS Bedrock", homeRegion: "intl", dateOffset: "+00:00" },
  deepinfra: { name: "DeepInfra", homeRegion: "intl", dateOffset: "+00:00" },
  unspecified: { name: "hosting provider not named by the source", homeRegion: "intl", dateOffset: "+00:00" },
};

/** The shared catalog's `provider` text → Arbiter provider name. */
const PROVIDER_OF = {
  DeepSeek: "deepseek",
  "Alibaba Cloud": "qwen",
  "ByteDance (Volcano Engine)": "doubao",
  Baidu: "ernie",
  "Tencent Cloud": "hunyuan",
  "Moonshot AI": "moonshot",
  "Zhipu AI": "zhipu",
  MiniMax: "minimax",
  OpenAI: "openai",
  Anthropic: "anthropic",
  Google: "google",
  "Meta (hosting provider not named)": "unspecified",
  "Mistral AI (hosting provider not named)": "unspecified",
  "Together AI": "together",
  "Fireworks AI": "fireworks",
  "AWS Bedrock": "bedrock",
  DeepInfra: "deepinfra",
};

// ─── Region ─────────────────────────────────────────────────────────────────────────────────────────────────────────
// "cn": the mainland-China price list (billed in CNY), "intl": the international list (billed in USD). A USD record of
// a mainland vendor is its international list (DeepSeek's USD page, Alibaba's Singapore region, Moonshot's
// platform.moonshot.ai) — except the `converted` ones below, which are third-party conversions of the CNY list.
const REGION_OVERRIDE = {
  // DeepSeek-V2 README figure: CNY list prices of mainland vendors shown in USD by DeepSeek (~7.24 CNY/USD).
  "ernie-4.0-usd-2024-04": "cn",
  "moonshot-v1-usd-2024-04": "cn",
  "glm-4-usd-2024-04": "cn",
  "abab-6.5-usd-2024-04": "cn",
  "abab-6.5s-usd-2024-04": "cn",
  "qwen1.5-72b-usd-2024-04": "cn",
};

// ─── Price kind ─────────────────────────────────────────────────────────────────────────────────────────────────────
// "list": the seller's own price in the currency it bills (what Arbiter prices calls with by default).
// "converted": a third party's currency conversion of a list price — not what the vendor bills.
// "reference": a third-party quote whose exact snapshot or host is not known.
const KIND = {
  "ernie-4.0-usd-2024-04": "converted",
  "moonshot-v1-usd-2024-04": "converted",
  "glm-4-usd-2024-04": "converted",
  "abab-6.5-usd-2024-04": "converted",
  "abab-6.5s-usd-2024-04": "converted",
  "qwen1.5-72b-usd-2024-04": "converted",
  "gpt-3.5-usd-2024-04": "reference", // "exact GPT-3.5 snapshot not named in the figure"
  "llama-3-70b-usd-2024-04": "reference", // hosting provider not named
  "mixtral-8x22b-usd-2024-04": "reference", // hosting provider not named
};

// ─── Aliases ────────────────────────────────────────────────────────────────────────────────────────────────────────
// Only real API ids that name the same model at the same price. (No "deepseek-v3" for deepseek-chat: DeepSeek's API
// accepts only deepseek-chat and deepseek-reasoner.)
const ALIASES = {
  "gpt-4-0613-usd": { ids: ["gpt-4"], why: "record notes: 'Same 30/60 for alias gpt-4'" },
  "gpt-4o-usd": {
    ids: ["gpt-4o-2024-08-06", "gpt-4o-2024-11-20"],
    why: "record notes: 'Same for gpt-4o-2024-08-06 and gpt-4o-2024-11-20'",
  },
  "gpt-4o-mini-usd": { ids: ["gpt-4o-mini-2024-07-18"], why: "record notes: snapshot id gpt-4o-mini-2024-07-18" },
  "o1-usd": { ids: ["o1-2024-12-17"], why: "display name: o1-2024-12-17 (models.json api_model_ids)" },
  "o3-mini-usd": { ids: ["o3-mini-2025-01-31"], why: "display name: o3-mini-2025-01-31 (models.json)" },
  "claude-3-5-sonnet-20241022-usd": {
    ids: ["claude-3-5-sonnet-latest"],
    why: "Anthropic's moving alias, which pointed to claude-3-5-sonnet-20241022 from its release",
  },
  "claude-3-opus-usd-2024-04": { ids: ["claude-3-opus-20240229"], why: "the API id of Claude 3 Opus" },
  "claude-3-sonnet-usd-2024-04": { ids: ["claude-3-sonnet-20240229"], why: "the API id of Claude 3 Sonnet" },
  "claude-3-haiku-usd-2024-04": { ids: ["claude-3-haiku-20240307"], why: "the API id of Claude 3 Haiku" },
  "qwen-max-2025-01-25-cny": {
    ids: ["qwen-max"],
    why: "the LobeChat source lists this price under id 'qwen-max' with deploymentName 'qwen-max-2025-01-25'",
  },
  "qwen-max-intl-usd": {
    ids: ["qwen-max-2025-01-25"],
    why: "record notes: alias 'qwen-max' pointed to the Qwen2.5-Max snapshot (qwen-max-2025-01-25) in 2025",
  },
  "qwen-plus-intl-usd": { ids: ["qwen-plus-2025-01-25"], why: "record notes: 'Same price for qwen-plus-2025-01-25'" },
  "qwen-plus-cny-2025": {
    ids: ["qwen-plus-2025-07-28"],
    why: "record notes: 'Listing is for qwen-plus-2025-07-28' (LobeChat deploymentName)",
  },
  "qwen-long-cny-2024-05-21": {
    ids: ["qwen-long-latest"],
    why: "models.json api_model_ids: qwen-long, qwen-long-latest",
  },
};

// Anthropic omits cache counts from `usage` when the request used no cache_control (caching is opt-in), so a missing
// count is 0 there. Everyone else caches automatically: a missing count on a model with a cache-hit price is unknown.
const UNREPORTED_CACHE_IS_ZERO_PROVIDERS = new Set(["anthropic"]);

// ─── Dates ──────────────────────────────────────────────────────────────────────────────────────────────────────────
// DeepSeek's off-peak discount: announced Wednesday 2025-02-26, "即日起 ... 北京时间每日00:30至08:30"; techgethub:
// "they will take effect on Thursday after midnight" (China time). The first window is Beijing 2025-02-27 00:30 =
// 2025-02-26T16:30Z, so the records with the window start at Beijing 2025-02-27 00:00 (not at the date-only
// convention's 2025-02-26 00:00 Beijing, which would make the night before the announcement off-peak).
const OFFPEAK_START = "2025-02-26T16:00:00Z";
// The V3-generation DeepSeek prices were superseded at a date the shared catalog does not have (V3.1 in Aug/Sep 2025,
// V3.2-Exp on 2025-09-29: unverified). The successor USD price (0.28/0.028/0.42) is first seen in LiteLLM's price file
// on 2026-01-13. So the V3-generation records end, and the successor starts, at 2026-01-13 00:00 UTC ("first_seen").
const DEEPSEEK_SUCCESSOR_SEEN = "2026-01-13T00:00:00Z";

/** Shared record id → { from?, to? } overrides of its dates (value as in the shared catalog's formats) + reason. */
const DATE_EDITS = {
  "deepseek-v2-cny-2024-05": {
    to: "2024-08",
    why:
      "effectiveTo moved from 2024-12-26 to 2024-08: from Aug 2024 the same 1/2 CNY list also had a 0.1 CNY cache-hit " +
      "price (record deepseek-chat-cache-cny-2024-08); two records must not cover the same time",
  },
  "deepseek-chat-cache-cny-2024-08": {
    to: "2024-12-26",
    why:
      "effectiveTo moved from 2025-02-08T16:00:00Z to 2024-12-26 (DeepSeek-V3 launch): from then the identical " +
      "1/0.1/2 CNY price is recorded as deepseek-v3-promo-cny, with a primary-ish source",
  },
  "deepseek-chat-litellm-2026-usd": {
    from: DEEPSEEK_SUCCESSOR_SEEN,
    fromPrecision: "first_seen",
    why:
      "effectiveFrom was unknown: set to 2026-01-13, the day this price is first seen in LiteLLM's file (the real " +
      "start is earlier, probably DeepSeek-V3.2-Exp's launch on 2025-09-29, unverified)",
  },
};

/** The shared catalog's date forms → ISO UTC datetime, with how precise the original was. */
function normalizeDate(value, offset) {
  if (value === null || value === undefined) return { iso: null, precision: "unknown" };
  let text;
  let precision;
  if (/^\d{4}-\d{2}$/.test(value)) {
    text = `${value}-01T00:00:00${offset}`;
    precision = "month";
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    text = `${value}T00:00:00${offset}`;
    precision = "day";
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    text = value;
    precision = "datetime";
  } else {
    throw new Error(`unrecognized date ${JSON.stringify(value)}`);
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`invalid date ${JSON.stringify(value)}`);
  return { iso: new Date(ms).toISOString().replace(".000Z", "Z"), precision };
}

// ─── Structured tiers, reasoning prices, extra fields ───────────────────────────────────────────────────────────────
/** Hand-structured fields per shared record id, each with the reason written into the record. */
const STRUCTURE = {
  "qwen-plus-cny-2025": {
    fields: {
      // Cache-read (implicit cache) prices: the same LobeChat file at the same commit has, for id 'qwen-plus':
      // textInput_cacheRead '[0, 128_000]': 0.8 * 0.4, '[128_000, 256_000]': 2.4 * 0.4, '[256_000, infinity]': 4.8 * 0.4.
      cachedInput: 0.32,
      reasoningOutput: 8,
      reasoningOutputAppliesTo: "all_output_when_reasoning",
      contextTiers: [
        {
          aboveTokens: 128000,
          appliesTo: "whole_request",
          input: 2.4,
          cachedInput: 0.96,
          cacheWrite: null,
          output: 20,
          reasoningOutput: 24,
        },
        {
          aboveTokens: 256000,
          appliesTo: "whole_request",
          input: 4.8,
          cachedInput: 1.92,
          cacheWrite: null,
          output: 48,
          reasoningOutput: 64,
        },
      ],
    },
    why: [
      "tier text structured: input ≤128,000 tokens → base prices; 128,000 < input ≤ 256,000 → tier 1; > 256,000 → " +
        "tier 2. The tier is chosen by the request's input tokens and prices the whole request (Alibaba's tiered " +
        "pricing; LobeChat's 'textInputRange' lookup)",
      "thinking-mode output (8 / 24 / 64) is a price of the whole output of a request that runs in thinking mode " +
        "(LobeChat keys '[range]_[true]' vs '_[false]' on 'thinkingMode'), so reasoningOutputAppliesTo = " +
        "all_output_when_reasoning",
      "cachedInput 0.32 / 0.96 / 1.92 = 0.4 × input, read from the same file and commit as the record " +
        "(textInput_cacheRead lookup for id 'qwen-plus'); the shared record had left it null",
    ],
    quoteSuffix:
      " | textInput_cacheRead: '[0, 128_000]': 0.8 * 0.4, '[128_000, 256_000]': 2.4 * 0.4, '[256_000, infinity]': " +
      "4.8 * 0.4 | textInput: '[128_000, 256_000]': 2.4, '[256_000, infinity]': 4.8 | textOutput: " +
      "'[128_000, 256_000]_[false]': 20, '[128_000, 256_000]_[true]': 24, '[256_000, infinity]_[false]': 48, " +
      "'[256_000, infinity]_[true]': 64",
  },
  "qwen-turbo-intl-usd": {
    fields: { reasoningOutput: 0.5, reasoningOutputAppliesTo: "all_output_when_reasoning" },
    why: [
      "reasoningOutput 0.5 from the record's own source quote (LiteLLM output_cost_per_reasoning_token 5e-07); Alibaba " +
        "prices thinking-mode output as a whole (see qwen-plus-cny-2025), so it applies to all output of a request " +
        "that reasoned (inferred: LiteLLM itself applies it to reasoning tokens only)",
    ],
  },
};

/** Per-1M prices from the shared `input_cost_per_token`-style numbers can carry float noise; round to 12 decimals. */
function clean(n) {
  if (n === null || n === undefined) return null;
  return Number.parseFloat(n.toFixed(12));
}

function sha256(text) {
  return createHash("sha256").update(text).digest("hex");
}

// ─── Prices ─────────────────────────────────────────────────────────────────────────────────────────────────────────
function normalizePrice(shared) {
  const provider = PROVIDER_OF[shared.provider];
  if (!provider) throw new Error(`${shared.id}: unknown provider ${JSON.stringify(shared.provider)}`);
  if (shared.unit !== "per_million_tokens") throw new Error(`${shared.id}: unit ${shared.unit}`);
  const offset = PROVIDERS[provider].dateOffset;
  const normalization = [];
  const dateEdit = DATE_EDITS[shared.id];
  const fromRaw = dateEdit?.from !== undefined ? dateEdit.from : shared.effective_from;
  const toRaw = dateEdit?.to !== undefined ? dateEdit.to : shared.effective_to;
  const from = normalizeDate(fromRaw, offset);
  const to = normalizeDate(toRaw, offset);
  if (dateEdit?.fromPrecision) from.precision = dateEdit.fromPrecision;
  if (dateEdit) normalization.push(dateEdit.why);
  for (const [label, raw, d] of [
    ["effectiveFrom", fromRaw, from],
    ["effectiveTo", toRaw, to],
  ]) {
    if (d.precision === "month" || d.precision === "day") {
      const what = d.precision === "month" ? "the first day of the month" : "that day";
      normalization.push(`${label} ${JSON.stringify(raw)} → ${d.iso} (00:00 on ${what} at UTC${offset})`);
    }
  }

  const region = REGION_OVERRIDE[shared.id] ?? (shared.currency === "CNY" ? "cn" : "intl");
  const priceKind = KIND[shared.id] ?? "list";
  if (REGION_OVERRIDE[shared.id]) {
    normalization.push(
      "region cn, priceKind converted: a USD figure DeepSeek computed from this vendor's CNY list (DeepSeek-V2 README figure); the vendor bills in CNY",
    );
  } else if (priceKind === "reference") {
    normalization.push("priceKind reference: the source does not name the exact snapshot or the host");
  }
  const alias = ALIASES[shared.id];
  if (alias) normalization.push(`aliases ${alias.ids.join(", ")}: ${alias.why}`);

  const notesParts = [];
  if (shared.notes) notesParts.push(shared.notes.trim());
  if (shared.tier) notesParts.push(`[tier as published: ${shared.tier}]`);

  const record = {
    id: shared.id,
    model: shared.model,
    aliases: alias ? alias.ids : [],
    displayName: shared.display_name,
    vendor: shared.vendor,
    seller: shared.provider,
    provider,
    region,
    currency: shared.currency,
    priceKind,
    input: clean(shared.input),
    cachedInput: clean(shared.input_cache_hit),
    cacheWrite: clean(shared.input_cache_write),
    cacheWrite1h: null,
    output: clean(shared.output),
    reasoningOutput: null,
    reasoningOutputAppliesTo: "reasoning_tokens",
    perRequest: null,
    perHour: null,
    unreportedCacheIsZero: UNREPORTED_CACHE_IS_ZERO_PROVIDERS.has(provider),
    effectiveFrom: from.iso,
    effectiveFromPrecision: from.precision,
    effectiveTo: to.iso,
    effectiveToPrecision: to.iso === null ? "unknown" : to.precision,
    offPeak: [],
    contextTiers: [],
    verified: shared.verified,
    source_kind: shared.source_kind,
    source_url: shared.source_url,
    source_quote: shared.source_quote,
    notes: notesParts.join(" "),
    derivedFrom: [shared.id],
    normalization,
    origin: "catalog",
  };
  const structure = STRUCTURE[shared.id];
  if (structure) {
    Object.assign(record, structure.fields);
    if (structure.quoteSuffix) record.source_quote += structure.quoteSuffix;
    normalization.push(...structure.why);
  }
  if (record.cacheWrite !== null && provider === "anthropic") {
    normalization.push(
      "cacheWrite = the 5-minute cache write price; no 1-hour write price in the source (cacheWrite1h null)",
    );
  }
  return record;
}

/** Off-peak shared records → windows on the standard record they discount. */
const OFFPEAK = {
  "deepseek-v3-offpeak-usd": "deepseek-v3-standard-usd",
  "deepseek-v3-offpeak-cny": "deepseek-v3-standard-cny",
  "deepseek-r1-offpeak-usd": "deepseek-r1-usd",
  "deepseek-r1-offpeak-cny": "deepseek-r1-cny",
};
const OFFPEAK_WINDOW = { fromUTC: "16:30", toUTC: "00:30" };
/** Standard records that end when the successor price is first seen (see DEEPSEEK_SUCCESSOR_SEEN). */
const SUPERSEDED_BY_SUCCESSOR = new Set([
  "deepseek-v3-standard-usd",
  "deepseek-v3-standard-cny",
  "deepseek-r1-usd",
  "deepseek-r1-cny",
]);

function buildPrices(sharedPrices) {
  const ids = new Set();
  for (const r of sharedPrices) {
    if (ids.has(r.id)) throw new Error(`duplicate shared id ${r.id}`);
    ids.add(r.id);
  }
  const byId = new Map(sharedPrices.map((r) => [r.id, r]));
  for (const [offId, baseId] of Object.entries(OFFPEAK)) {
    if (!byId.has(offId) || !byId.has(baseId)) throw new Error(`off-peak mapping ${offId} → ${baseId}: missing record`);
  }
  const out = [];
  for (const shared of sharedPrices) {
    if (OFFPEAK[shared.id]) continue; // folded into its standard record below
    const record = normalizePrice(shared);
    const offId = Object.keys(OFFPEAK).find((k) => OFFPEAK[k] === shared.id);
    if (!offId) {
      if (SUPERSEDED_BY_SUCCESSOR.has(shared.id)) throw new Error(`${shared.id}: expected an off-peak split`);
      out.push(record);
      continue;
    }
    // Split the standard record at the start of the off-peak discount: before it no window, after it the window.
    const off = byId.get(offId);
    if (record.effectiveTo !== null || (record.effectiveFrom !== null && record.effectiveFrom >= OFFPEAK_START)) {
      throw new Error(`${shared.id}: expected a record open at the end and starting before ${OFFPEAK_START}`);
    }
    const before = structuredClone(record);
    before.effectiveTo = OFFPEAK_START;
    before.effectiveToPrecision = "datetime";
    before.normalization.push(
      `split at ${OFFPEAK_START} (Beijing 2025-02-27 00:00), when DeepSeek's off-peak discount began: this part has ` +
        `no off-peak window; the later part is ${record.id}-offpeak-era`,
    );
    const after = structuredClone(record);
    after.id = `${record.id}-offpeak-era`;
    after.effectiveFrom = OFFPEAK_START;
    after.effectiveFromPrecision = "datetime";
    after.derivedFrom = [shared.id, offId];
    after.notes = `${record.notes} [off-peak record ${offId}: ${off.notes ?? "no notes"}] [tier as published: ${off.tier}]`;
    after.normalization.push(
      `from ${OFFPEAK_START}: the first off-peak window was Beijing 2025-02-27 00:30 (announced 2025-02-26, 'take ` +
        `effect on Thursday after midnight' China time); off-peak window from ${offId}: UTC ` +
        `${OFFPEAK_WINDOW.fromUTC}–${OFFPEAK_WINDOW.toUTC}, start inclusive, end exclusive, explicit prices`,
    );
    if (SUPERSEDED_BY_SUCCESSOR.has(shared.id)) {
      after.effectiveTo = DEEPSEEK_SUCCESSOR_SEEN;
      after.effectiveToPrecision = "first_seen";
      after.normalization.push(
        "effectiveTo was open (shared notes: superseded later in 2025, end date not verified): set to 2026-01-13, " +
          "when the successor price is first seen (deepseek-chat-litellm-2026-usd). Calls between the real change " +
          "(Aug–Sep 2025, unverified) and 2026-01-13 are billed at this price and its off-peak window: likely wrong",
      );
    }
    const offVerifiedNote = off.verified ? "" : " (unverified: exact decimals inferred, see notes)";
    after.offPeak = [
      {
        fromUTC: OFFPEAK_WINDOW.fromUTC,
        toUTC: OFFPEAK_WINDOW.toUTC,
        multiplier: null,
        prices: {
          input: clean(off.input),
          cachedInput: clean(off.input_cache_hit),
          output: clean(off.output),
        },
        sourceId: offId,
        verified: off.verified,
        source_url: off.source_url,
        source_quote: off.source_quote,
        notes: `${off.tier}${offVerifiedNote}${off.notes ? `. ${off.notes}` : ""}`,
      },
    ];
    out.push(before, after);
  }

  // deepseek-reasoner's successor price: the shared record for deepseek-chat says "same values for deepseek-reasoner".
  const successor = out.find((r) => r.id === "deepseek-chat-litellm-2026-usd");
  if (!successor) throw new Error("deepseek-chat-litellm-2026-usd missing");
  const reasoner = structuredClone(successor);
  reasoner.id = "deepseek-reasoner-litellm-2026-usd";
  reasoner.model = "deepseek-reasoner";
  reasoner.displayName = "deepseek-reasoner (DeepSeek-V3.2 generation)";
  reasoner.normalization = [
    ...successor.normalization,
    "derived: the shared record deepseek-chat-litellm-2026-usd says 'same values for deepseek-reasoner'; its source " +
      "quote is the deepseek-chat line",
  ];
  out.push(reasoner);

  out.sort(
    (a, b) =>
      a.provider.localeCompare(b.provider) ||
      a.model.localeCompare(b.model) ||
      a.currency.localeCompare(b.currency) ||
      (a.effectiveFrom ?? "").localeCompare(b.effectiveFrom ?? "") ||
      a.id.localeCompare(b.id),
  );
  return out;
}

// ─── FX ─────────────────────────────────────────────────────────────────────────────────────────────────────────────
function buildFx(shared) {
  if (shared.pair !== "CNY per 1 USD") throw new Error(`fx.json: unexpected pair ${shared.pair}`);
  const rates = shared.rates.map((r) => ({
    id: `usd-cny-${r.period}`,
    period: r.period,
    cnyPerUsd: r.cny_per_usd,
    kind: r.kind,
    verified: true,
    source_url: r.source_url,
    source_quote: r.source_quote,
  }));
  rates.sort((a, b) => a.period.localeCompare(b.period));
  return {
    pair: "USD/CNY",
    unit: "CNY per 1 USD",
    rates,
    vendorImpliedRates: shared.vendor_implied_rates,
    recommendation: shared.recommendation,
  };
}

// ─── Models ─────────────────────────────────────────────────────────────────────────────────────────────────────────
const VENDOR_PROVIDER = {
  DeepSeek: "deepseek",
  "Alibaba Cloud (Qwen team)": "qwen",
  "Alibaba Cloud": "qwen",
  Meta: null,
  OpenAI: "openai",
  Anthropic: "anthropic",
  "ByteDance (Volcano Engine)": "doubao",
  Baidu: "ernie",
  "Tencent Cloud": "hunyuan",
  Tencent: "hunyuan",
  "Moonshot AI (Kimi)": "moonshot",
};
const HOST_PREFIX = { together_ai: "together", fireworks: "fireworks", bedrock: "bedrock" };

/** "deepseek-chat (May 2024 - Dec 2024, ...)" / "together_ai: meta-llama/..." / "qwen-max (alias)" → structured. */
function parseApiModelId(text, vendorProvider) {
  let rest = text.trim();
  let provider = vendorProvider;
  const prefix = /^([a-z_]+): (.+)$/.exec(rest);
  if (prefix && HOST_PREFIX[prefix[1]]) {
    provider = HOST_PREFIX[prefix[1]];
    rest = prefix[2];
  }
  const note = /^(\S+) \((.+)\)$/.exec(rest);
  if (note) return { provider, model: note[1], note: note[2] };
  if (/\s/.test(rest)) throw new Error(`cannot parse api model id ${JSON.stringify(text)}`);
  return { provider, model: rest, note: null };
}

function buildModels(shared) {
  return shared.map((m) => {
    if (!(m.vendor in VENDOR_PROVIDER)) throw new Error(`models.json ${m.id}: unknown vendor ${m.vendor}`);
    const vendorProvider = VENDOR_PROVIDER[m.vendor];
    return {
      id: m.id,
      displayName: m.display_name,
      vendor: m.vendor,
      releaseDate: m.release_date,
      openWeights: m.open_weights,
      license: m.license,
      parameters: m.parameters ?? null,
      contextLength: m.context_length,
      apiContextLength: m.api_context_length,
      apiModelIds: m.api_model_ids.map((t) => parseApiModelId(t, vendorProvider)),
      verified: m.verified,
      source_url: m.source_url,
      source_quote: m.source_quote,
      notes: m.notes ?? "",
    };
  });
}

// ─── Claims ─────────────────────────────────────────────────────────────────────────────────────────────────────────
// Vendors' published benchmark numbers, kept as published (score, metric, setting, table row quoted) and joined to
// Arbiter's names so that `arbiter claims --vendor` can put a run's measurement beside them. Every join below is a
// hand decision with its reason; a name the tables do not know stops the build (so a new shared record is audited).

/** Published model name (the shared record's `model`) → catalog model id (models.json), or null, and why. */
const CLAIM_MODEL = {
  "DeepSeek-V3": { id: "deepseek-v3", why: "the chat model of the DeepSeek-V3 README's chat tables" },
  "DeepSeek-V3-Base": { id: null, why: "the pre-trained base model: not served by an API, not in models.json" },
  "DeepSeek-R1": { id: "deepseek-r1", why: "same name as models.json deepseek-r1" },
  "DeepSeek-R1-Distill-Qwen-1.5B": { id: "deepseek-r1-distill-qwen-1.5b", why: "same name in models.json" },
  "DeepSeek-R1-Distill-Qwen-7B": { id: "deepseek-r1-distill-qwen-7b", why: "same name in models.json" },
  "DeepSeek-R1-Distill-Qwen-14B": { id: "deepseek-r1-distill-qwen-14b", why: "same name in models.json" },
  "DeepSeek-R1-Distill-Qwen-32B": { id: "deepseek-r1-distill-qwen-32b", why: "same name in models.json" },
  "DeepSeek-R1-Distill-Llama-8B": { id: "deepseek-r1-distill-llama-8b", why: "same name in models.json" },
  "DeepSeek-R1-Distill-Llama-70B": { id: "deepseek-r1-distill-llama-70b", why: "same name in models.json" },
  "Llama 3.1 405B Instruct": { id: "llama-3.1-405b-instruct", why: "same name in models.json" },
  "Qwen2.5-Max (qwen-max-2025-01-25)": {
    id: "qwen2.5-max",
    why: "the record names the API snapshot qwen-max-2025-01-25, an API id of models.json qwen2.5-max",
  },
  "Qwen2.5-Max (base)": { id: null, why: "the base model: not served by an API, not in models.json" },
  "Qwen 2.5-Max": {
    id: "qwen2.5-max",
    why: "Reuters' spelling of Qwen2.5-Max, the instruct model Alibaba launched that day (models.json qwen2.5-max)",
  },
  "Doubao (flagship update released two days after DeepSeek-R1; i.e. Doubao-1.5-pro era)": {
    id: null,
    why: "the source names no model (the shared record's model text is a description, verified: false)",
  },
};

/**
 * Competitor names in the vendors' tables → catalog model id, or null when the name does not pin one model the
 * catalog has. In a base-model table every column is a base model, so those are never joined (see buildClaim).
 */
const COMPARED_MODEL = {
  "Claude-3.5-Sonnet-1022": {
    id: "claude-3-5-sonnet-20241022",
    why: "models.json notes: DeepSeek's tables call it so",
  },
  "Claude-Sonnet-3.5-1022": { id: "claude-3-5-sonnet-20241022", why: "DeepSeek's other spelling of the same snapshot" },
  "GPT-4o 0513": { id: "gpt-4o-2024-05-13", why: "the 2024-05-13 snapshot, by the table's date suffix" },
  "GPT-4o-0513": { id: "gpt-4o-2024-05-13", why: "the 2024-05-13 snapshot, by the table's date suffix" },
  "o1-mini": { id: "o1-mini", why: "same name in models.json" },
  "OpenAI o1-mini": { id: "o1-mini", why: "same name in models.json" },
  "OpenAI o1-1217": { id: "o1-2024-12-17", why: "the 2024-12-17 snapshot, by the table's date suffix" },
  "DeepSeek V3": { id: "deepseek-v3", why: "the chat model (joined only outside base-model tables)" },
  "DeepSeek-V3": { id: "deepseek-v3", why: "the chat model (joined only outside base-model tables)" },
  "DeepSeek V2-0506": {
    id: "deepseek-v2",
    why: "DeepSeek-V2 chat of May 2024 (models.json deepseek-v2: deepseek-chat May–Dec 2024)",
  },
  "Qwen2.5 72B-Inst.": { id: "qwen2.5-72b-instruct", why: "DeepSeek's abbreviation of Qwen2.5-72B-Instruct" },
  "Qwen2.5-72B-Instruct": { id: "qwen2.5-72b-instruct", why: "same name in models.json" },
  "Llama3.1 405B-Inst.": { id: "llama-3.1-405b-instruct", why: "DeepSeek's abbreviation of Llama 3.1 405B Instruct" },
  "LLaMA-3.1 405B": {
    id: "llama-3.1-405b-instruct",
    why: "a column of DeepSeek-V3's chat (open-ended) table, so the instruct model",
  },
  "DeepSeek-V2": { id: null, why: "appears only in the base-model table" },
  "Qwen2.5 72B": { id: null, why: "appears only in the base-model table" },
  "LLaMA3.1 405B": { id: null, why: "appears only in the base-model table" },
  "Qwen2.5-72B": { id: null, why: "appears only in the base-model table" },
  "DeepSeek V2.5-0905": { id: null, why: "DeepSeek-V2.5 is not in models.json" },
  "DeepSeek-V2.5-0905": { id: null, why: "DeepSeek-V2.5 is not in models.json" },
  "QwQ-32B-Preview": { id: null, why: "not in models.json" },
  "Llama 3.1 70B Instruct": { id: null, why: "not in models.json" },
  "GPT-4o": { id: null, why: "the source names no GPT-4o snapshot" },
  "Claude-3.5-Sonnet": { id: null, why: "the source names no Claude 3.5 Sonnet snapshot" },
  "Llama-3.1-405B": { id: null, why: "the source does not say base or instruct" },
  "OpenAI-o1": { id: null, why: "the source names no o1 snapshot" },
  "OpenAI o1": { id: null, why: "the source names no o1 snapshot" },
};

/**
 * Published benchmark name → Arbiter task name, only where the task uses the same test set (shots, prompts and
 * grading may still differ: `setting` and `metric` say what the vendor ran). Everything else has task null.
 * Not joined: "MATH" and "MATH (CoT)" (the 5,000-problem MATH test, not MATH-500), "HumanEval-Mul" (multilingual),
 * "MMLU-Redux", "MMMLU-non-English" (other test sets).
 */
const CLAIM_TASK = {
  MMLU: "mmlu",
  "MMLU (CoT)": "mmlu",
  "MMLU-Pro": "mmlu_pro",
  "MMLU-Pro (CoT)": "mmlu_pro",
  GSM8K: "gsm8k",
  "GSM-8K (CoT)": "gsm8k",
  HumanEval: "humaneval",
  MBPP: "mbpp",
  "MATH-500": "math500",
  "IF-Eval": "ifeval",
  IFEval: "ifeval",
  "ARC-Challenge": "arc_challenge",
  CMMLU: "cmmlu",
  "AlpacaEval 2.0": "alpaca_eval",
  "AlpacaEval2.0": "alpaca_eval",
};

/**
 * What a published number is on: "percent" (0–100, comparable with a 0–1 mean score × 100), "rating" (Codeforces
 * Elo-style rating), "percentile" (rank among Codeforces humans), "bits-per-byte" (language-model loss: lower is
 * better). Keyed by the metric as printed; null metric (qualitative claims) → null.
 */
const METRIC_SCALE = {
  "Acc.": "percent",
  EM: "percent",
  em: "percent",
  "Pass@1": "percent",
  "pass@1": "percent",
  "Pass@1-COT": "percent",
  "cons@64": "percent",
  Correct: "percent",
  "macro_avg/acc": "percent",
  "3-shot F1": "percent",
  F1: "percent",
  "Prompt Strict": "percent",
  Resolved: "percent",
  "length-controlled win rate": "percent",
  "LC-winrate": "percent",
  "GPT-4-1106": "percent",
  "em_maj1@1": "percent",
  final_em: "percent",
  rating: "rating",
  Rating: "rating",
  Percentile: "percentile",
  BPB: "bits-per-byte",
};

function lookup(table, key, what, id) {
  if (!Object.hasOwn(table, key)) throw new Error(`claims.json ${id}: unknown ${what} ${JSON.stringify(key)}`);
  return table[key];
}

function buildClaim(shared, modelsById) {
  const normalization = [];
  const subject = lookup(CLAIM_MODEL, shared.model, "model", shared.id);
  normalization.push(`modelId ${subject.id ?? "null"}: ${subject.why}`);
  const catalogModel = subject.id === null ? null : modelsById.get(subject.id);
  if (subject.id !== null && !catalogModel) throw new Error(`claims.json ${shared.id}: no model ${subject.id}`);
  const apiModels = (catalogModel?.apiModelIds ?? []).map((a) => `${a.provider}/${a.model}`);
  if (apiModels.length > 0) {
    normalization.push(
      `apiModels from models.json ${subject.id}: the API ids that served this model; an id can later serve a newer ` +
        "version, so compare the claim's date with the run's",
    );
  }
  const task = Object.hasOwn(CLAIM_TASK, shared.benchmark) ? CLAIM_TASK[shared.benchmark] : null;
  if (task) {
    normalization.push(
      `task ${task}: the same test set as Arbiter's ${task}; the vendor's setting and metric may differ from it`,
    );
  }
  const scale = shared.metric === null ? null : lookup(METRIC_SCALE, shared.metric, "metric", shared.id);
  const base = shared.model_kind === "base";
  const comparedAgainst = shared.compared_against.map((c) => {
    const joined = lookup(COMPARED_MODEL, c.model, "compared model", shared.id);
    const id = base ? null : joined.id;
    if (id !== null && !modelsById.has(id)) throw new Error(`claims.json ${shared.id}: no model ${id}`);
    return { model: c.model, modelId: id, score: c.score, markedBest: c.marked_best };
  });
  if (base && shared.compared_against.length > 0) {
    normalization.push("comparedAgainst: a base-model table, so no competitor is joined to a (chat) catalog model");
  }
  return {
    id: shared.id,
    claimant: shared.claimant,
    model: shared.model,
    modelId: subject.id,
    modelKind: shared.model_kind,
    apiModels,
    benchmark: shared.benchmark,
    task,
    metric: shared.metric,
    scale,
    setting: shared.setting,
    category: shared.category,
    score: shared.score,
    markedBest: shared.score_marked_best,
    relation: shared.relation_to_primary_competitor ?? null,
    numericValuesAvailable: shared.numeric_values_available ?? shared.score !== null,
    comparedAgainst,
    date: shared.date,
    verified: shared.verified,
    source_url: shared.source_url,
    source_quote: shared.source_quote,
    notes: shared.notes ?? "",
    derivedFrom: [shared.id],
    normalization,
  };
}

function buildClaims(shared, models) {
  const ids = new Set();
  for (const r of shared) {
    if (ids.has(r.id)) throw new Error(`claims.json: duplicate id ${r.id}`);
    ids.add(r.id);
    if (!r.source_url || !r.source_quote) throw new Error(`claims.json ${r.id}: no source_url or source_quote`);
  }
  const modelsById = new Map(models.map((m) => [m.id, m]));
  // The shared order is the vendors' table order (row by row), which is how a reader checks a record against its
  // source; it is kept.
  return shared.map((r) => buildClaim(r, modelsById));
}

// ─── Main ───────────────────────────────────────────────────────────────────────────────────────────────────────────
function parseArgs(argv) {
  const args = { from: resolve(root, "../shared/catalog"), out: resolve(root, "data/catalog"), check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--check") args.check = true;
    else if (a === "--from") args.from = resolve(argv[++i] ?? "");
    else if (a === "--out") args.out = resolve(argv[++i] ?? "");
    else throw new Error(`unknown argument ${a} (use --from DIR, --out DIR, --check)`);
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const texts = {};
  for (const name of ["prices.json", "fx.json", "models.json", "claims.json"]) {
    texts[name] = await readFile(resolve(args.from, name), "utf8");
  }
  const provenance = (name) => ({
    builtBy: "scripts/build-catalog.mjs",
    builtFrom: `../shared/catalog/${name}`,
    sourceSha256: sha256(texts[name]),
    readme: "data/catalog/README.md",
  });
  const prices = {
    schemaVersion: 1,
    unit: "per 1M tokens",
    provenance: provenance("prices.json"),
    providers: PROVIDERS,
    records: buildPrices(JSON.parse(texts["prices.json"])),
  };
  const fx = { schemaVersion: 1, provenance: provenance("fx.json"), ...buildFx(JSON.parse(texts["fx.json"])) };
  const models = {
    schemaVersion: 1,
    provenance: provenance("models.json"),
    models: buildModels(JSON.parse(texts["models.json"])),
  };
  const claims = {
    schemaVersion: 1,
    provenance: provenance("claims.json"),
    scales: {
      percent: "0–100; a run's 0–1 mean score × 100 is on the same scale",
      rating: "Codeforces rating",
      percentile: "percentile among Codeforces participants",
      "bits-per-byte": "language-model loss on a text corpus (lower is better)",
    },
    claims: buildClaims(JSON.parse(texts["claims.json"]), models.models),
  };
  const outputs = { "prices.json": prices, "fx.json": fx, "models.json": models, "claims.json": claims };
  let differs = false;
  await mkdir(args.out, { recursive: true });
  for (const [name, data] of Object.entries(outputs)) {
    const path = resolve(args.out, name);
    const text = `${JSON.stringify(data, null, 2)}\n`;
    if (args.check) {
      const current = await readFile(path, "utf8").catch(() => null);
      if (current !== text) {
        differs = true;
        console.error(`build-catalog: ${relative(process.cwd(), path) || path} is not what the build writes`);
      }
    } else {
      await writeFile(path, text);
      console.log(`wrote ${relative(process.cwd(), path) || path}`);
    }
  }
  if (args.check) {
    if (differs) process.exit(1);
    console.log("build-catalog: data/catalog is up to date");
  }
}

main().catch((error) => {
  console.error(`build-catalog: ${error.message}`);
  process.exit(1);
});
