// What the bot's buttons, menus and modals carry: Slack hands the string back when someone presses
// or submits, so it is read back here, with zod (the report's values and the action item menu's
// `<status>:<id>:<page>` are written here too; the others are plain ids). A value that is not one we
// wrote (a hand-made request, a message from an older version of the bot) is refused in words the
// person can act on, never cast and used.
import { z } from "zod";
import { parseJson } from "../parseJson.js";
import { RequestError } from "./problems.js";

/** Our records' ids are UUIDs (the database refuses anything else). */
const recordId = z.guid();
const reportRef = z.object({ incidentId: recordId, version: z.number().int().nonnegative() });
const actionItemOption = z.object({ status: z.enum(["done", "dropped"]), itemId: recordId, page: z.coerce.number().int().positive() });
const sectionRef = reportRef.extend({ key: z.string().min(1) });
/** What the "Add to incident timeline" modal carries: the picked message, and where to answer. */
const addToTimelineForm = z.object({ pickedId: recordId, responseUrl: z.url().optional() });
/** What the "Declare incident" modal carries: the picked message (from a message), and where to answer. */
const declareForm = z.object({ pickedId: recordId.optional(), responseUrl: z.url().optional() });
/** The section editor's form: a long section is split across inputs, and `separators` say how they join (views/report.ts). */
const sectionForm = sectionRef.extend({ separators: z.array(z.string()).optional() });

/** Which incident's report, and the version the person was looking at. */
export type ReportRef = z.infer<typeof reportRef>;
/** A section of that report. */
export type SectionRef = z.infer<typeof sectionRef>;
/** The section editor's private_metadata. */
export type SectionForm = z.infer<typeof sectionForm>;

const OLDER = "(it may be from an older version of the incident bot)";
export const UNREADABLE_BUTTON =
  `That button's data could not be read ${OLDER}. ` + "Run the command that showed it again for a fresh one (`/incident help` lists them).";
export const UNREADABLE_FORM = `This form's data could not be read ${OLDER}. Close it and open it again.`;

/** The value as we wrote it, or null for anything else (not JSON, or not the shape). */
function readJson<T>(schema: z.ZodType<T>, text: string | undefined): T | null {
  const parsed = parseJson(schema, text);
  return parsed.ok ? parsed.value : null;
}

export const writeReportRef = (ref: ReportRef) => JSON.stringify({ incidentId: ref.incidentId, version: ref.version });
export const writeSectionRef = (ref: SectionRef) => JSON.stringify({ incidentId: ref.incidentId, version: ref.version, key: ref.key });
export const writeSectionForm = (form: SectionForm) =>
  JSON.stringify({
    incidentId: form.incidentId,
    version: form.version,
    key: form.key,
    ...(form.separators ? { separators: form.separators } : {}),
  });

/** A report button's value; a RequestError (told to the presser) when it is not ours. */
export function readReportButton(value: string | undefined): ReportRef {
  const ref = readJson(reportRef, value);
  if (!ref) throw new RequestError(UNREADABLE_BUTTON);
  return ref;
}

/** The section menu's chosen option; null when it is not ours (the menu answers with UNREADABLE_BUTTON). */
export const readSectionOption = (value: string | undefined): SectionRef | null => readJson(sectionRef, value);

/** A modal's private_metadata; null when it is not ours (the modal answers with UNREADABLE_FORM). */
export const readSectionForm = (metadata: string | undefined): SectionForm | null => readJson(sectionForm, metadata);
export const readReportForm = (metadata: string | undefined): ReportRef | null => readJson(reportRef, metadata);

/** A button whose value is the id of one of our records (an unpublished public update, an incident); a RequestError when it is not. */
export function readRecordButton(value: string | undefined): string {
  const parsed = recordId.safeParse(value);
  if (!parsed.success) throw new RequestError(UNREADABLE_BUTTON);
  return parsed.data;
}

/** An action item's menu choice: the new status, the item, and the page of the list to show again. */
export const writeActionItemOption = (status: "done" | "dropped", itemId: string, page: number) => `${status}:${itemId}:${page}`;

/** Reads writeActionItemOption's value (`done:<id>` from before pages means page 1); a RequestError when it is not ours. */
export function readActionItemOption(value: string | undefined): { status: "done" | "dropped"; itemId: string; page: number } {
  const [status, itemId, page = "1", ...rest] = (value ?? "").split(":");
  const parsed = actionItemOption.safeParse({ status, itemId, page });
  if (!parsed.success || rest.length > 0) throw new RequestError(UNREADABLE_BUTTON);
  return parsed.data;
}

export type AddToTimelineForm = z.infer<typeof addToTimelineForm>;
export type DeclareForm = z.infer<typeof declareForm>;
export const writeAddToTimelineForm = (form: AddToTimelineForm) => JSON.stringify(addToTimelineForm.parse(form));
export const writeDeclareForm = (form: DeclareForm) => JSON.stringify(declareForm.parse(form));
/** The shortcuts' modals' private_metadata; null when it is not ours (the modal answers with UNREADABLE_FORM). */
export const readAddToTimelineForm = (metadata: string | undefined): AddToTimelineForm | null => readJson(addToTimelineForm, metadata);
export const readDeclareForm = (metadata: string | undefined): DeclareForm | null => readJson(declareForm, metadata);
