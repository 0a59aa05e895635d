import type { InferredTemplate } from "./operations.js";

/** A template proposed from a sample file, on its way from the upload page to the template form. */
export interface TemplateDraft {
  name: string;
  columns: InferredTemplate["columns"];
  sampleRows: InferredTemplate["sampleRows"];
  /** The sample itself, chosen again on the upload page once the template exists. */
  file: File;
}

// kept in memory, not in the URL or storage: a file cannot go there, and a reload may forget it
let draft: TemplateDraft | undefined;
let chosenFile: File | undefined;

export function keepDraft(value: TemplateDraft): void {
  draft = value;
}

/** The draft, once: coming back to the form later starts blank. */
export function takeDraft(): TemplateDraft | undefined {
  const value = draft;
  draft = undefined;
  return value;
}

export function keepFile(file: File): void {
  chosenFile = file;
}

/** The file to choose again on the upload page, once. */
export function takeFile(): File | undefined {
  const value = chosenFile;
  chosenFile = undefined;
  return value;
}
