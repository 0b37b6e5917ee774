/**
 * CMMLU (Li et al. 2023, "CMMLU: Measuring massive multitask language understanding in Chinese";
 * haonan-li/CMMLU): 11,582 four-option test questions in 67 subjects, in Chinese.
 *
 * Licence CC BY-NC-SA 4.0: the data is NOT bundled. Give the folder holding `test/` and `dev/` (the repository's
 * `data/` folder) with `{builtin: cmmlu, path: DIR}` or `$ARBITER_DATASETS/cmmlu`.
 *
 * Prompt (src/mp_utils.py `gen_prompt` / `format_example`, commit 154f1c3f), sent as one user message as the
 * authors' src/chatgpt.py sends it; {科目} is the subject's Chinese name from src/categories.py `name_en2zh`:
 *
 *   以下是关于{科目}的单项选择题，请直接给出正确答案的选项。\n\n
 *   题目：{dev question}\nA. {a}\nB. {b}\nC. {c}\nD. {d}\n答案是：{letter}\n\n        (× 5 in "5shot": the dev rows)
 *   题目：{question}\nA. {a}\nB. {b}\nC. {c}\nD. {d}\n答案是：
 *
 * Variants: "5shot" (default), "zeroshot" (no examples; chatgpt.py's default), "cot-zeroshot" (the authors' `cot`
 * mode: header "以下是关于{科目}的单项选择题，请分析并选出正确答案。" and the question ending "\n逐步分析并给出答案选项。").
 * The authors drop the longest examples when the prompt exceeds the model's context; Arbiter always sends all five.
 *
 * Grading: the authors' `extract_choice` exactly (scorers/choice/cmmlu.ts); where it finds nothing they pick a random
 * letter, Arbiter scores the answer wrong and counts it in "unextracted". The authors' "Overall" is the mean of the 67
 * subject accuracies; Arbiter's headline is the mean over questions, and the per-subject means are in the category
 * breakdown (metadata.category = subject; metadata.groups = the authors' categories, e.g. ["Social Science", "China
 * specific"]). `subjects` may name subjects or those categories.
 *
 * Files: `test/{subject}.csv` and `dev/{subject}.csv` with the header `,Question,A,B,C,D,Answer` (first column: row
 * index), Answer a letter A–D. Samples: id `{subject}/{row}`.
 */
import { join } from "node:path";
import type { Task } from "../../core/task.js";
import type { Sample } from "../../core/types.js";
import { extractCmmluAnswer } from "../../scorers/choice/cmmlu.js";
import { dataFileError, readRecords } from "../data-files.js";
import type { BuiltinTaskDefinition } from "./definition.js";
import { chooseVariant, multipleChoiceTask, selectSubjects, stringField } from "./multiple-choice-format.js";
import { benchmarkDir } from "./paths.js";

export const CMMLU_VARIANTS = ["5shot", "zeroshot", "cot-zeroshot"] as const;
export type CmmluVariant = (typeof CMMLU_VARIANTS)[number];

export const CMMLU_SHOTS = 5;

/** src/categories.py `name_en2zh`. */
export const CMMLU_SUBJECT_NAMES: Readonly<Record<string, string>> = {
  agronomy: "农学",
  anatomy: "解剖学",
  ancient_chinese: "古汉语",
  arts: "艺术学",
  astronomy: "天文学",
  business_ethics: "商业伦理",
  chinese_civil_service_exam: "中国公务员考试",
  chinese_driving_rule: "中国驾驶规则",
  chinese_food_culture: "中国饮食文化",
  chinese_foreign_policy: "中国外交政策",
  chinese_history: "中国历史",
  chinese_literature: "中国文学",
  chinese_teacher_qualification: "中国教师资格",
  clinical_knowledge: "临床知识",
  college_actuarial_science: "大学精算学",
  college_education: "大学教育学",
  college_engineering_hydrology: "大学工程水文学",
  college_law: "大学法律",
  college_mathematics: "大学数学",
  college_medical_statistics: "大学医学统计",
  college_medicine: "大学医学",
  computer_science: "计算机科学",
  computer_security: "计算机安全",
  conceptual_physics: "概念物理学",
  construction_project_management: "建设工程管理",
  economics: "经济学",
  education: "教育学",
  electrical_engineering: "电气工程",
  elementary_chinese: "小学语文",
  elementary_commonsense: "小学常识",
  elementary_information_and_technology: "小学信息技术",
  elementary_mathematics: "初等数学",
  ethnology: "民族学",
  food_science: "食品科学",
  genetics: "遗传学",
  global_facts: "全球事实",
  high_school_biology: "高中生物",
  high_school_chemistry: "高中化学",
  high_school_geography: "高中地理",
  high_school_mathematics: "高中数学",
  high_school_physics: "高中物理学",
  high_school_politics: "高中政治",
  human_sexuality: "人类性行为",
  international_law: "国际法学",
  journalism: "新闻学",
  jurisprudence: "法理学",
  legal_and_moral_basis: "法律与道德基础",
  logical: "逻辑学",
  machine_learning: "机器学习",
  management: "管理学",
  marketing: "市场营销",
  marxist_theory: "马克思主义理论",
  modern_chinese: "现代汉语",
  nutrition: "营养学",
  philosophy: "哲学",
  professional_accounting: "专业会计",
  professional_law: "专业法学",
  professional_medicine: "专业医学",
  professional_psychology: "专业心理学",
  public_relations: "公共关系",
  security_study: "安全研究",
  sociology: "社会学",
  sports_science: "体育学",
  traditional_chinese_medicine: "中医中药",
  virology: "病毒学",
  world_history: "世界历史",
  world_religions: "世界宗教",
};

export const CMMLU_SUBJECTS: readonly string[] = Object.keys(CMMLU_SUBJECT_NAMES).sort();

/** src/categories.py `subcategories`: each subject's subcategories. */
const SUBCATEGORIES: Readonly<Record<string, readonly string[]>> = {
  agronomy: ["other"],
  anatomy: ["biology"],
  ancient_chinese: ["linguistics", "china specific"],
  arts: ["arts"],
  astronomy: ["physics"],
  business_ethics: ["business"],
  chinese_civil_service_exam: ["politics", "china specific"],
  chinese_driving_rule: ["other", "china specific"],
  chinese_food_culture: ["culture", "china specific"],
  chinese_foreign_policy: ["politics", "china specific"],
  chinese_history: ["history", "china specific"],
  chinese_literature: ["literature", "china specific"],
  chinese_teacher_qualification: ["education", "china specific"],
  college_actuarial_science: ["math"],
  college_education: ["education"],
  college_engineering_hydrology: ["engineering"],
  college_law: ["law"],
  college_mathematics: ["math"],
  college_medical_statistics: ["statistics"],
  clinical_knowledge: ["other"],
  college_medicine: ["other"],
  computer_security: ["other"],
  conceptual_physics: ["physics"],
  construction_project_management: ["other", "china specific"],
  economics: ["economics"],
  education: ["education"],
  elementary_chinese: ["linguistics", "china specific"],
  elementary_commonsense: ["other", "china specific"],
  elementary_information_and_technology: ["other"],
  electrical_engineering: ["engineering"],
  elementary_mathematics: ["math"],
  ethnology: ["culture", "china specific"],
  food_science: ["other"],
  genetics: ["biology"],
  global_facts: ["global"],
  high_school_biology: ["biology"],
  high_school_chemistry: ["chemistry"],
  computer_science: ["computer science"],
  high_school_geography: ["geography"],
  high_school_mathematics: ["math"],
  high_school_physics: ["physics"],
  high_school_politics: ["politics", "china specific"],
  human_sexuality: ["other"],
  international_law: ["law"],
  journalism: ["sociology"],
  jurisprudence: ["law"],
  legal_and_moral_basis: ["other"],
  logical: ["philosophy"],
  machine_learning: ["computer science"],
  management: ["business"],
  marketing: ["business"],
  marxist_theory: ["philosophy"],
  modern_chinese: ["linguistics", "china specific"],
  nutrition: ["other"],
  philosophy: ["philosophy"],
  professional_accounting: ["business"],
  professional_law: ["law"],
  professional_medicine: ["other"],
  professional_psychology: ["psychology"],
  public_relations: ["politics"],
  security_study: ["politics"],
  sociology: ["culture"],
  sports_science: ["other"],
  traditional_chinese_medicine: ["other", "china specific"],
  virology: ["biology"],
  world_history: ["history"],
  world_religions: ["global"],
};

/** src/categories.py `categories`: category → the subcategories it spans. */
const CATEGORY_SUBCATEGORIES: Readonly<Record<string, readonly string[]>> = {
  STEM: ["physics", "chemistry", "biology", "computer science", "math", "engineering", "statistics"],
  Humanities: ["history", "philosophy", "law", "arts", "literature", "global"],
  "Social Science": [
    "linguistics",
    "business",
    "politics",
    "culture",
    "economics",
    "geography",
    "psychology",
    "education",
    "sociology",
  ],
  Other: ["other"],
  "China specific": ["china specific"],
};

/** A subject's categories, as the authors' `category2subject` assigns them. */
export function cmmluGroups(subject: string): string[] {
  const subs = SUBCATEGORIES[subject] ?? [];
  return Object.keys(CATEGORY_SUBCATEGORIES).filter((c) =>
    subs.some((s) => CATEGORY_SUBCATEGORIES[c]?.includes(s) ?? false),
  );
}

/** Category → its subjects ("China specific" → ancient_chinese, …). */
export const CMMLU_GROUPS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.keys(CATEGORY_SUBCATEGORIES).map((c) => [c, CMMLU_SUBJECTS.filter((s) => cmmluGroups(s).includes(c))]),
);

export interface CmmluQuestion {
  question: string;
  options: [string, string, string, string];
  answer: string;
}

const COLUMNS = "(row index), Question, A, B, C, D, Answer";

function cmmluQuestion(record: Record<string, unknown>, label: string, line: number): CmmluQuestion {
  const expected = `a string (the columns must be ${COLUMNS})`;
  const question = stringField(record, "Question", label, line, expected);
  const options = (["A", "B", "C", "D"] as const).map((c) => stringField(record, c, label, line, expected)) as [
    string,
    string,
    string,
    string,
  ];
  const answer = stringField(record, "Answer", label, line, expected).trim();
  if (!/^[A-D]$/.test(answer)) {
    throw dataFileError(label, line, `Answer is ${JSON.stringify(answer)}: expected a letter A–D`);
  }
  return { question, options, answer };
}

export async function* readCmmluFile(file: string): AsyncGenerator<CmmluQuestion> {
  for await (const { record, line } of readRecords(file, "csv")) yield cmmluQuestion(record, file, line);
}

function formatQuestion(q: CmmluQuestion): string {
  return `题目：${q.question}${q.options.map((o, i) => `\n${"ABCD"[i]}. ${o}`).join("")}`;
}

export function cmmluPrompt(
  subject: string,
  shots: readonly CmmluQuestion[],
  question: CmmluQuestion,
  cot = false,
): string {
  const name = CMMLU_SUBJECT_NAMES[subject] ?? subject;
  const header = cot
    ? `以下是关于${name}的单项选择题，请分析并选出正确答案。\n\n`
    : `以下是关于${name}的单项选择题，请直接给出正确答案的选项。\n\n`;
  const examples = shots.map((s) => `${formatQuestion(s)}\n答案是：${s.answer}\n\n`).join("");
  return `${header}${examples}${formatQuestion(question)}${cot ? "\n逐步分析并给出答案选项。" : "\n答案是："}`;
}

async function readShots(file: string): Promise<CmmluQuestion[]> {
  const shots: CmmluQuestion[] = [];
  for await (const q of readCmmluFile(file)) {
    shots.push(q);
    if (shots.length === CMMLU_SHOTS) return shots;
  }
  throw dataFileError(
    file,
    undefined,
    `has ${shots.length} rows: expected at least ${CMMLU_SHOTS} (the few-shot examples)`,
  );
}

export async function* cmmluSamples(
  dir: string,
  subjects: readonly string[],
  variant: CmmluVariant,
): AsyncGenerator<Sample> {
  for (const subject of subjects) {
    const shots = variant === "5shot" ? await readShots(join(dir, "dev", `${subject}.csv`)) : [];
    let row = 0;
    for await (const q of readCmmluFile(join(dir, "test", `${subject}.csv`))) {
      yield {
        id: `${subject}/${row}`,
        input: cmmluPrompt(subject, shots, q, variant === "cot-zeroshot"),
        target: q.answer,
        choices: [...q.options],
        metadata: { category: subject, groups: cmmluGroups(subject), subject_zh: CMMLU_SUBJECT_NAMES[subject], row },
      };
      row++;
    }
  }
}

export const cmmlu: BuiltinTaskDefinition = {
  info: {
    name: "cmmlu",
    description: "CMMLU: 67-subject Chinese four-option questions, authors' 5-shot prompt and answer extraction",
    metrics: ["accuracy", "unextracted"],
    variants: [...CMMLU_VARIANTS],
    settings: { temperature: 0, maxTokens: 512 },
    samples: 11582,
    bundled: false,
    license: "CC BY-NC-SA 4.0 (haonan-li/CMMLU): not bundled, load it from a path",
  },
  create(options): Task {
    const variant = chooseVariant("cmmlu", CMMLU_VARIANTS, options.variant);
    const kept = selectSubjects("cmmlu", options.subjects, CMMLU_SUBJECTS, CMMLU_GROUPS);
    const subjects = kept === null ? CMMLU_SUBJECTS : CMMLU_SUBJECTS.filter((s) => kept.has(s));
    const dir = benchmarkDir("cmmlu", options.path);
    return multipleChoiceTask({
      name: variant === "5shot" ? "cmmlu" : `cmmlu-${variant}`,
      description: cmmlu.info.description,
      dataset: () => cmmluSamples(dir, subjects, variant),
      extract: (output) => extractCmmluAnswer(output),
      settings: cmmlu.info.settings,
      scorerOptions: {
        unextractedNote: "the CMMLU scripts would guess a random letter here; Arbiter counts the answer wrong",
      },
    });
  },
};
