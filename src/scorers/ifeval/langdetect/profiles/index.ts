/** Every langdetect profile, in alphabetical order of language code (the detector's language order). */
import type { LanguageProfile } from "../profile.js";
import { PROFILE_AF } from "./af.js";
import { PROFILE_AR } from "./ar.js";
import { PROFILE_BG } from "./bg.js";
import { PROFILE_BN } from "./bn.js";
import { PROFILE_CA } from "./ca.js";
import { PROFILE_CS } from "./cs.js";
import { PROFILE_CY } from "./cy.js";
import { PROFILE_DA } from "./da.js";
import { PROFILE_DE } from "./de.js";
import { PROFILE_EL } from "./el.js";
import { PROFILE_EN } from "./en.js";
import { PROFILE_ES } from "./es.js";
import { PROFILE_ET } from "./et.js";
import { PROFILE_FA } from "./fa.js";
import { PROFILE_FI } from "./fi.js";
import { PROFILE_FR } from "./fr.js";
import { PROFILE_GU } from "./gu.js";
import { PROFILE_HE } from "./he.js";
import { PROFILE_HI } from "./hi.js";
import { PROFILE_HR } from "./hr.js";
import { PROFILE_HU } from "./hu.js";
import { PROFILE_ID } from "./id.js";
import { PROFILE_IT } from "./it.js";
import { PROFILE_JA } from "./ja.js";
import { PROFILE_KN } from "./kn.js";
import { PROFILE_KO } from "./ko.js";
import { PROFILE_LT } from "./lt.js";
import { PROFILE_LV } from "./lv.js";
import { PROFILE_MK } from "./mk.js";
import { PROFILE_ML } from "./ml.js";
import { PROFILE_MR } from "./mr.js";
import { PROFILE_NE } from "./ne.js";
import { PROFILE_NL } from "./nl.js";
import { PROFILE_NO } from "./no.js";
import { PROFILE_PA } from "./pa.js";
import { PROFILE_PL } from "./pl.js";
import { PROFILE_PT } from "./pt.js";
import { PROFILE_RO } from "./ro.js";
import { PROFILE_RU } from "./ru.js";
import { PROFILE_SK } from "./sk.js";
import { PROFILE_SL } from "./sl.js";
import { PROFILE_SO } from "./so.js";
import { PROFILE_SQ } from "./sq.js";
import { PROFILE_SV } from "./sv.js";
import { PROFILE_SW } from "./sw.js";
import { PROFILE_TA } from "./ta.js";
import { PROFILE_TE } from "./te.js";
import { PROFILE_TH } from "./th.js";
import { PROFILE_TL } from "./tl.js";
import { PROFILE_TR } from "./tr.js";
import { PROFILE_UK } from "./uk.js";
import { PROFILE_UR } from "./ur.js";
import { PROFILE_VI } from "./vi.js";
import { PROFILE_ZH_CN } from "./zh-cn.js";
import { PROFILE_ZH_TW } from "./zh-tw.js";

export const PROFILES: readonly LanguageProfile[] = [
  PROFILE_AF,
  PROFILE_AR,
  PROFILE_BG,
  PROFILE_BN,
  PROFILE_CA,
  PROFILE_CS,
  PROFILE_CY,
  PROFILE_DA,
  PROFILE_DE,
  PROFILE_EL,
  PROFILE_EN,
  PROFILE_ES,
  PROFILE_ET,
  PROFILE_FA,
  PROFILE_FI,
  PROFILE_FR,
  PROFILE_GU,
  PROFILE_HE,
  PROFILE_HI,
  PROFILE_HR,
  PROFILE_HU,
  PROFILE_ID,
  PROFILE_IT,
  PROFILE_JA,
  PROFILE_KN,
  PROFILE_KO,
  PROFILE_LT,
  PROFILE_LV,
  PROFILE_MK,
  PROFILE_ML,
  PROFILE_MR,
  PROFILE_NE,
  PROFILE_NL,
  PROFILE_NO,
  PROFILE_PA,
  PROFILE_PL,
  PROFILE_PT,
  PROFILE_RO,
  PROFILE_RU,
  PROFILE_SK,
  PROFILE_SL,
  PROFILE_SO,
  PROFILE_SQ,
  PROFILE_SV,
  PROFILE_SW,
  PROFILE_TA,
  PROFILE_TE,
  PROFILE_TH,
  PROFILE_TL,
  PROFILE_TR,
  PROFILE_UK,
  PROFILE_UR,
  PROFILE_VI,
  PROFILE_ZH_CN,
  PROFILE_ZH_TW,
];
