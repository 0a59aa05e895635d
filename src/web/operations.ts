// The page's GraphQL operations, as plain strings: it is the reference client of the public API,
// so it uses nothing but what schema.graphql offers.

const COMMON_FIELDS = `__typename id status errorMessage attempts createdAt updatedAt processingStartedAt
  processingCompletedAt`;
// template is not on the Job interface, so each kind asks for it
const IMPORT_FIELDS = `fileName fileSize phase rowsTotal rowsProcessed rowsImported rowsFailed template { id name }`;
const EXPORT_FIELDS = `exportFileName: fileName exportFileSize: fileSize format rowCount expiresAt template { id name }`;

/** What every page shows of a job, of either kind. */
const JOB_FIELDS = `${COMMON_FIELDS} ... on Import { ${IMPORT_FIELDS} } ... on Export { ${EXPORT_FIELDS} }`;

const ROW_ERRORS = `edges { node { rowNumber column message value } } pageInfo { hasNextPage endCursor }`;

export const SIGN_UP = `mutation SignUp($email: String!, $password: String!) {
  signUp(email: $email, password: $password) { token user { email } }
}`;

export const LOG_IN = `mutation LogIn($email: String!, $password: String!) {
  logIn(email: $email, password: $password) { token user { email } }
}`;

export const LOG_OUT = `mutation LogOut { logOut }`;

export const TEMPLATES = `query Templates { importTemplates { id name columns { header type required } } }`;

export const CREATE_TEMPLATE = `mutation CreateTemplate($input: CreateImportTemplateInput!) {
  createImportTemplate(input: $input) { id name }
}`;

export const START_IMPORT = `mutation StartImport($templateId: ID!, $file: Upload!) {
  startImport(templateId: $templateId, file: $file) { id status }
}`;

export const REQUEST_EXPORT = `mutation RequestExport($templateId: ID!, $format: ExportFormat, $importId: ID) {
  requestExport(templateId: $templateId, format: $format, importId: $importId) { id status }
}`;

export const JOB_STATUS = `subscription JobStatus($id: ID!) { jobStatus(id: $id) { ${JOB_FIELDS} } }`;

export const MY_JOBS = `subscription MyJobs { myJobs { ${JOB_FIELDS} } }`;

/** What a finished job offers: row errors and the error report, or the export's download. */
export const JOB_RESULTS = `query JobResults($id: ID!, $first: Int!) {
  job(id: $id) {
    ${JOB_FIELDS}
    ... on Import { errorReportUrl errors(first: $first) { ${ROW_ERRORS} } }
    ... on Export { downloadUrl }
  }
}`;

export const MORE_ROW_ERRORS = `query MoreRowErrors($id: ID!, $first: Int!, $after: String) {
  import(id: $id) { errors(first: $first, after: $after) { ${ROW_ERRORS} } }
}`;

export const MY_JOB_LIST = `query MyJobList($first: Int!) {
  imports(first: $first) { edges { node { ${COMMON_FIELDS} ${IMPORT_FIELDS} } } }
  exports(first: $first) { edges { node { ${COMMON_FIELDS} ${EXPORT_FIELDS} } } }
}`;

export const COMPLETED_IMPORTS = `query CompletedImports {
  imports(first: 100, status: COMPLETED) { edges { node { id fileName createdAt rowsImported template { id } } } }
}`;

/** A job as the operations above select it. */
export interface JobView {
  __typename: "Import" | "Export";
  id: string;
  status: "PENDING" | "PROCESSING" | "COMPLETED" | "FAILED";
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

export interface JobResults {
  job: (JobView & { errorReportUrl?: string | null; errors?: RowErrorPage; downloadUrl?: string | null }) | null;
}

export interface Template {
  id: string;
  name: string;
  columns: Array<{ header: string; type: string; required: boolean }>;
}

/** Whether a job has stopped changing. */
export const isFinished = (job: Pick<JobView, "status">) => job.status === "COMPLETED" || job.status === "FAILED";
