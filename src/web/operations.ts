// The page's GraphQL operations, as plain strings: it is the reference client of the public API,
// so it uses nothing but what schema.graphql offers.

const COMMON_FIELDS = `__typename id status errorMessage attempts createdAt updatedAt processingStartedAt
  processingCompletedAt`;
// template is not on the Job interface, so each kind asks for it
const IMPORT_FIELDS = `fileName fileSize phase rowsTotal rowsProcessed rowsImported rowsFailed mode rowsCreated
  rowsUpdated rowsUnchanged rowsDuplicate template { id name }`;
const EXPORT_FIELDS = `exportFileName: fileName exportFileSize: fileSize format rowCount expiresAt template { id name }`;

/** What every page shows of a job, of either kind. */
const JOB_FIELDS = `${COMMON_FIELDS} ... on Import { ${IMPORT_FIELDS} } ... on Export { ${EXPORT_FIELDS} }`;

const ROW_ERRORS = `edges { node { rowNumber column message value } } pageInfo { hasNextPage endCursor }`;

const COLUMN_RULES = `allowedValues min max minLength maxLength pattern unique`;

const TEMPLATE_FIELDS = `id name decimalSeparator dateOrder keyColumns duplicates
  columns { key header type required aliases ${COLUMN_RULES} }`;

const CHANGES = `edges { node { rowNumber kind key before after } } pageInfo { hasNextPage endCursor }`;

/** What the changes table needs besides the changes: the template's columns, to name and format the values. */
const CHANGE_COLUMNS = `template { id columns { key header type } keyColumns }`;

export const SIGN_UP = `mutation SignUp($email: String!, $password: String!) {
  signUp(email: $email, password: $password) { token user { email } }
}`;

export const LOG_IN = `mutation LogIn($email: String!, $password: String!) {
  logIn(email: $email, password: $password) { token user { email } }
}`;

export const LOG_OUT = `mutation LogOut { logOut }`;

export const TEMPLATES = `query Templates { importTemplates { ${TEMPLATE_FIELDS} } }`;

export const TEMPLATE = `query Template($id: ID!) { importTemplate(id: $id) { ${TEMPLATE_FIELDS} } }`;

export const CREATE_TEMPLATE = `mutation CreateTemplate($input: CreateImportTemplateInput!) {
  createImportTemplate(input: $input) { id name }
}`;

export const UPDATE_TEMPLATE = `mutation UpdateTemplate($id: ID!, $input: UpdateImportTemplateInput!) {
  updateImportTemplate(id: $id, input: $input) { id name }
}`;

export const DELETE_TEMPLATE = `mutation DeleteTemplate($id: ID!) { deleteImportTemplate(id: $id) }`;

/** Reads a sample file and proposes a template's columns; saves nothing. */
export const INFER_TEMPLATE = `mutation InferTemplate($file: Upload!, $headerRow: Int) {
  inferImportTemplate(file: $file, headerRow: $headerRow) {
    sheetName headerRow columns { key header type required aliases } sampleRows
  }
}`;

export const START_IMPORT = `mutation StartImport($templateId: ID!, $file: Upload!, $options: ImportOptions) {
  startImport(templateId: $templateId, file: $file, options: $options) { id status }
}`;

export const RETRY_IMPORT = `mutation RetryImport($id: ID!, $options: ImportOptions) {
  retryImport(id: $id, options: $options) { id status }
}`;

export const UPDATE_MAPPING = `mutation UpdateImportMapping($id: ID!, $mapping: [ColumnMappingInput!]!) {
  updateImportMapping(id: $id, mapping: $mapping) { id status }
}`;

export const CONFIRM_IMPORT = `mutation ConfirmImport($id: ID!, $rememberMapping: Boolean) {
  confirmImport(id: $id, rememberMapping: $rememberMapping) { id status }
}`;

export const CANCEL_IMPORT = `mutation CancelImport($id: ID!) { cancelImport(id: $id) { id status } }`;

export const CANCEL_EXPORT = `mutation CancelExport($id: ID!) { cancelExport(id: $id) { id status } }`;

export const REQUEST_EXPORT = `mutation RequestExport($templateId: ID!, $format: ExportFormat, $importId: ID) {
  requestExport(templateId: $templateId, format: $format, importId: $importId) { id status }
}`;

export const JOB_STATUS = `subscription JobStatus($id: ID!) { jobStatus(id: $id) { ${JOB_FIELDS} } }`;

export const MY_JOBS = `subscription MyJobs { myJobs { ${JOB_FIELDS} } }`;

/** What a finished job offers: row errors and the error report, or the export's download. */
export const JOB_RESULTS = `query JobResults($id: ID!, $first: Int!, $changes: Int!) {
  job(id: $id) {
    ${JOB_FIELDS}
    ... on Import {
      errorReportUrl errors(first: $first) { ${ROW_ERRORS} }
      ${CHANGE_COLUMNS} changes(first: $changes) { ${CHANGES} }
    }
    ... on Export { downloadUrl }
  }
}`;

/** A page of an import's changes to its template's records, of one kind or all. */
export const IMPORT_CHANGES = `query ImportChanges($id: ID!, $first: Int!, $after: String, $kind: ChangeKind) {
  import(id: $id) { id changes(first: $first, after: $after, kind: $kind) { ${CHANGES} } }
}`;

export const MORE_ROW_ERRORS = `query MoreRowErrors($id: ID!, $first: Int!, $after: String) {
  import(id: $id) { errors(first: $first, after: $after) { ${ROW_ERRORS} } }
}`;

/** The matching step: how the file's columns were matched to the template's, and what a dry run found. */
export const IMPORT_REVIEW = `query ImportReview($id: ID!, $first: Int!, $changes: Int!) {
  import(id: $id) {
    id status dryRun errorMessage rowsTotal rowsImported rowsFailed mode rowsCreated rowsUpdated rowsUnchanged
    rowsDuplicate
    sourceColumns { index header samples detectedType }
    mapping { templateKey templateHeader required sourceIndex sourceHeader match score }
    errors(first: $first) { ${ROW_ERRORS} }
    ${CHANGE_COLUMNS} changes(first: $changes) { ${CHANGES} }
  }
}`;

export const IMPORT_RECORDS = `query ImportRecords($id: ID!, $first: Int!, $after: String) {
  import(id: $id) {
    id status fileName rowsImported
    template { id name columns { key header type } }
    records(first: $first, after: $after) {
      edges { node { id rowNumber data } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

export const MY_JOB_LIST = `query MyJobList($first: Int!) {
  imports(first: $first) { edges { node { ${COMMON_FIELDS} ${IMPORT_FIELDS} } } }
  exports(first: $first) { edges { node { ${COMMON_FIELDS} ${EXPORT_FIELDS} } } }
}`;

export const COMPLETED_IMPORTS = `query CompletedImports {
  imports(first: 100, status: COMPLETED) { edges { node { id fileName createdAt rowsImported template { id } } } }
}`;

export type ImportMode = "CREATE_OR_UPDATE" | "CREATE_ONLY" | "UPDATE_ONLY";

/** What an import did, or in review would do, to its template's records. */
export interface ChangeCounts {
  mode: ImportMode;
  rowsCreated: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  rowsDuplicate: number;
}

export type JobStatus = "PENDING" | "PROCESSING" | "NEEDS_REVIEW" | "COMPLETED" | "FAILED" | "CANCELLED";

/** A job as the operations above select it. */
export interface JobView {
  __typename: "Import" | "Export";
  id: string;
  status: JobStatus;
  errorMessage: string | null;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  processingStartedAt: string | null;
  processingCompletedAt: string | null;
  template: { id: string; name: string };
  // Import
  fileName?: string;
  fileSize?: number;
  phase?: string;
  rowsTotal?: number | null;
  rowsProcessed?: number;
  rowsImported?: number;
  rowsFailed?: number;
  mode?: ImportMode;
  rowsCreated?: number;
  rowsUpdated?: number;
  rowsUnchanged?: number;
  rowsDuplicate?: number;
  // Export (aliased: fileName is String! on Import and String on Export, which one query cannot mix)
  exportFileName?: string | null;
  exportFileSize?: number | null;
  format?: "XLSX" | "CSV";
  rowCount?: number | null;
  expiresAt?: string | null;
}

export interface RowError {
  rowNumber: number;
  column: string | null;
  message: string;
  value: string | null;
}

export interface RowErrorPage {
  edges: Array<{ node: RowError }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export type ChangeKind = "CREATED" | "UPDATED" | "UNCHANGED";

/** One row of Import.changes: `key` is null without key columns, `before` null when CREATED. */
export interface ImportChange {
  rowNumber: number;
  kind: ChangeKind;
  key: Record<string, unknown> | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
}

export interface ImportChangePage {
  edges: Array<{ node: ImportChange }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** The template as the changes table reads it. */
export interface ChangeTemplate {
  id: string;
  columns: Array<Pick<TemplateColumn, "key" | "header" | "type">>;
  keyColumns: string[];
}

export interface JobResults {
  job:
    | (JobView & {
        errorReportUrl?: string | null;
        errors?: RowErrorPage;
        downloadUrl?: string | null;
        changes?: ImportChangePage;
        template: JobView["template"] & Partial<ChangeTemplate>;
      })
    | null;
}

export type ColumnType = "STRING" | "INTEGER" | "DECIMAL" | "BOOLEAN" | "DATE" | "DATETIME" | "EMAIL";

/** A column's rules besides its type; null (or absent) is no rule. */
export interface ColumnRules {
  allowedValues: string[] | null;
  min: string | null;
  max: string | null;
  minLength: number | null;
  maxLength: number | null;
  pattern: string | null;
  unique: boolean;
}

/** A template column; a proposed one (inferImportTemplate) comes without rules. */
export interface TemplateColumn extends Partial<ColumnRules> {
  key: string;
  header: string;
  type: ColumnType;
  required: boolean;
  aliases: string[];
}

export type DuplicateRows = "IMPORT" | "SKIP" | "REJECT";

export interface Template {
  id: string;
  name: string;
  decimalSeparator: "DOT" | "COMMA";
  dateOrder: "YMD" | "DMY" | "MDY";
  columns: TemplateColumn[];
  keyColumns: string[];
  duplicates: DuplicateRows;
}

export interface InferredTemplate {
  sheetName: string | null;
  headerRow: number;
  columns: TemplateColumn[];
  sampleRows: Array<Record<string, unknown>>;
}

export type MatchKind = "EXACT" | "ALIAS" | "FUZZY" | "MANUAL" | "NONE";

export interface SourceColumn {
  index: number;
  header: string;
  samples: string[];
  detectedType: ColumnType | null;
}

export interface ColumnMapping {
  templateKey: string;
  templateHeader: string;
  required: boolean;
  sourceIndex: number | null;
  sourceHeader: string | null;
  match: MatchKind;
  score: number | null;
}

export interface ImportReview extends ChangeCounts {
  id: string;
  status: JobStatus;
  dryRun: boolean;
  errorMessage: string | null;
  rowsTotal: number | null;
  rowsImported: number;
  rowsFailed: number;
  sourceColumns: SourceColumn[];
  mapping: ColumnMapping[];
  errors: RowErrorPage;
  template: ChangeTemplate;
  changes: ImportChangePage;
}

/** Whether a job has stopped changing. NEEDS_REVIEW has not: it waits for the person. */
export const isFinished = (job: Pick<JobView, "status">) =>
  job.status === "COMPLETED" || job.status === "FAILED" || job.status === "CANCELLED";

/** Whether a job is queued or running, and so can be cancelled. */
export const isRunning = (job: Pick<JobView, "status">) => job.status === "PENDING" || job.status === "PROCESSING";
