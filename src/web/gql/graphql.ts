/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type ChangeKind =
  /** A new record (a new key, or any saved row on a template without key columns). */
  | 'CREATED'
  /** The record with this key already had these values. */
  | 'UNCHANGED'
  /** The record with this key had other values. */
  | 'UPDATED';

/** A person's choice for one template column. */
export type ColumnMappingInput = {
  /** The file's column (0-based, see Import.sourceColumns); null leaves the template column empty. */
  sourceIndex?: number | null | undefined;
  templateKey: string;
};

export type ColumnType =
  | 'BOOLEAN'
  | 'DATE'
  | 'DATETIME'
  | 'DECIMAL'
  | 'EMAIL'
  | 'INTEGER'
  | 'STRING';

export type CreateImportTemplateInput = {
  columns: Array<TemplateColumnInput>;
  dateOrder?: DateOrder | null | undefined;
  decimalSeparator?: DecimalSeparator | null | undefined;
  duplicates?: DuplicateRows | null | undefined;
  /** Column keys whose values identify a record (at most 10, each a required column). With key columns the template has one current dataset: a row with a new key creates a record, one with a known key and other values updates it, one with the same values leaves it unchanged; a key repeated within a file is a row error. They cannot change once an import of the template was saved. */
  keyColumns?: Array<string> | null | undefined;
  name: string;
};

/** The order of day, month and year in dates written as text. ISO dates (2024-05-31) are always read. */
export type DateOrder =
  /** 31/05/2024 */
  | 'DMY'
  /** 05/31/2024 */
  | 'MDY'
  /** 2024/05/31 */
  | 'YMD';

/** How numbers written as text separate decimals; the other of . and , groups thousands. */
export type DecimalSeparator =
  /** 1.234,5 (and 1234,5; a space also groups thousands) */
  | 'COMMA'
  /** 1,234.5 (and 1234.5) */
  | 'DOT';

/** On a template without key columns: what a row that repeats an earlier row of the same file exactly does. */
export type DuplicateRows =
  /** It is imported again. */
  | 'IMPORT'
  /** It is a row error naming the earlier row. */
  | 'REJECT'
  /** It is skipped and counted in Import.rowsDuplicate (the default). */
  | 'SKIP';

export type ExportFormat =
  | 'CSV'
  | 'XLSX';

/** What an import of a template with key columns may do to its dataset. */
export type ImportMode =
  /** Only create: a row whose key exists with other values is a row error. */
  | 'CREATE_ONLY'
  /** Create records with new keys and update those whose key exists (the default). */
  | 'CREATE_OR_UPDATE'
  /** Only update: a row whose key is new is a row error. */
  | 'UPDATE_ONLY';

/** How to read an uploaded file, where the defaults do not fit. */
export type ImportOptions = {
  /** Read and validate the whole file, save nothing, and stop at NEEDS_REVIEW with the counts, errors and mapping; then confirmImport, updateImportMapping or cancelImport. */
  dryRun?: boolean | null | undefined;
  /** The header row, 1-based as Excel numbers rows. Default: row 1 when it matches the template, else the row among the first 20 non-blank ones that matches the template's headers best. */
  headerRow?: number | null | undefined;
  /** The file's column for some template columns; the others are matched by their headers. */
  mapping?: Array<ColumnMappingInput> | null | undefined;
  /** On a template with key columns: which changes the import may make (default CREATE_OR_UPDATE). Rows outside it are row errors. Other modes need key columns. */
  mode?: ImportMode | null | undefined;
  /** The sheet to read, by name. Default: the first visible sheet in workbook order. */
  sheet?: string | null | undefined;
};

export type ImportPhase =
  | 'DONE'
  | 'PARSING'
  | 'QUEUED'
  | 'SAVING'
  | 'VALIDATING';

export type JobStatus =
  /** Stopped by the user; nothing was saved. Final. */
  | 'CANCELLED'
  /** Done. Final. */
  | 'COMPLETED'
  /** Ended with errorMessage; an import can be retried. Final for subscriptions. */
  | 'FAILED'
  /** A dry run is done and waits for the user: confirm, change the mapping, or cancel. Not final. */
  | 'NEEDS_REVIEW'
  /** Queued, or waiting to be retried after a failed attempt. */
  | 'PENDING'
  /** A worker is running it. */
  | 'PROCESSING';

/** How a template column found the file's column that fills it. */
export type MatchKind =
  /** One of its aliases. */
  | 'ALIAS'
  /** Its header or key, ignoring case, spaces and punctuation. */
  | 'EXACT'
  /** A similar header (see score). */
  | 'FUZZY'
  /** Chosen by a person (options.mapping, updateImportMapping). */
  | 'MANUAL'
  /** Nothing: the column stays empty. */
  | 'NONE';

export type TemplateColumnInput = {
  /** Other headers that mean this column: at most 50, each claimed by one column only. */
  aliases?: Array<string> | null | undefined;
  /** STRING only: the values a cell may hold, compared trimmed and ignoring case; the value is stored as listed here. At most 500, each at most 200 characters, none repeated (ignoring case). Null: any value. */
  allowedValues?: Array<string> | null | undefined;
  header: string;
  key: string;
  /** INTEGER, DECIMAL, DATE, DATETIME: the highest value, written as for min. Null: none. */
  max?: string | null | undefined;
  /** STRING, EMAIL: the most characters (code points), 1 to 1000000. Null: none. */
  maxLength?: number | null | undefined;
  /** INTEGER, DECIMAL, DATE, DATETIME: the lowest value, written as the type stores its values ("0", "2.5", "2024-01-31", "2024-01-31T00:00:00.000Z"); other forms the type reads are accepted and stored that way. Null: none. */
  min?: string | null | undefined;
  /** STRING, EMAIL: the fewest characters (code points), 0 to 1000000. Null: none. */
  minLength?: number | null | undefined;
  /** STRING, EMAIL: a regular expression in RE2 syntax (no backreferences or lookaround), searched in the value as stored (text trimmed, addresses lower-cased); anchor it with ^ and $ to match the whole value. At most 1000 characters, compiling to at most 400 steps. Null: none. */
  pattern?: string | null | undefined;
  required?: boolean | null | undefined;
  type: ColumnType;
  /** No two rows of one file may hold the same value (blank cells excepted); the later row is an error. */
  unique?: boolean | null | undefined;
};

/** What to change; fields left out (or null) stay as they are. columns replaces all columns. */
export type UpdateImportTemplateInput = {
  columns?: Array<TemplateColumnInput> | null | undefined;
  dateOrder?: DateOrder | null | undefined;
  decimalSeparator?: DecimalSeparator | null | undefined;
  duplicates?: DuplicateRows | null | undefined;
  /** Column keys whose values identify a record (at most 10, each a required column). With key columns the template has one current dataset: a row with a new key creates a record, one with a known key and other values updates it, one with the same values leaves it unchanged; a key repeated within a file is a row error. They cannot change once an import of the template was saved. */
  keyColumns?: Array<string> | null | undefined;
  name?: string | null | undefined;
};

type JobView_Export_Fragment = { __typename: 'Export', format: ExportFormat, rowCount: number | null, expiresAt: string | null, id: string, status: JobStatus, errorMessage: string | null, attempts: number, createdAt: string, updatedAt: string, processingStartedAt: string | null, processingCompletedAt: string | null, exportFileName: string | null, exportFileSize: number | null, template: { id: string, name: string } };

type JobView_Import_Fragment = { __typename: 'Import', fileName: string, fileSize: number, phase: ImportPhase, rowsTotal: number | null, rowsProcessed: number, rowsImported: number, rowsFailed: number, mode: ImportMode, rowsCreated: number, rowsUpdated: number, rowsUnchanged: number, rowsDuplicate: number, id: string, status: JobStatus, errorMessage: string | null, attempts: number, createdAt: string, updatedAt: string, processingStartedAt: string | null, processingCompletedAt: string | null, template: { id: string, name: string } };

export type JobViewFragment =
  | JobView_Export_Fragment
  | JobView_Import_Fragment
;

export type RowErrorPageFragment = { edges: Array<{ node: { rowNumber: number, column: string | null, message: string, value: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } };

export type TemplateFieldsFragment = { id: string, name: string, decimalSeparator: DecimalSeparator, dateOrder: DateOrder, keyColumns: Array<string>, duplicates: DuplicateRows, columns: Array<{ key: string, header: string, type: ColumnType, required: boolean, aliases: Array<string>, allowedValues: Array<string> | null, min: string | null, max: string | null, minLength: number | null, maxLength: number | null, pattern: string | null, unique: boolean }> };

export type ChangePageFragment = { edges: Array<{ node: { rowNumber: number, kind: ChangeKind, key: Record<string, unknown> | null, before: Record<string, unknown> | null, after: Record<string, unknown> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } };

export type ChangeTemplateFragment = { id: string, keyColumns: Array<string>, columns: Array<{ key: string, header: string, type: ColumnType }> };

export type SignUpMutationVariables = Exact<{
  email: string;
  password: string;
}>;


export type SignUpMutation = { signUp: { token: string, user: { email: string } } };

export type LogInMutationVariables = Exact<{
  email: string;
  password: string;
}>;


export type LogInMutation = { logIn: { token: string, user: { email: string } } };

export type LogOutMutationVariables = Exact<{ [key: string]: never; }>;


export type LogOutMutation = { logOut: boolean };

export type TemplatesQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type TemplatesQuery = { importTemplates: { edges: Array<{ node: { id: string, name: string, decimalSeparator: DecimalSeparator, dateOrder: DateOrder, keyColumns: Array<string>, duplicates: DuplicateRows, columns: Array<{ key: string, header: string, type: ColumnType, required: boolean, aliases: Array<string>, allowedValues: Array<string> | null, min: string | null, max: string | null, minLength: number | null, maxLength: number | null, pattern: string | null, unique: boolean }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type TemplateQueryVariables = Exact<{
  id: string | number;
}>;


export type TemplateQuery = { importTemplate: { id: string, name: string, decimalSeparator: DecimalSeparator, dateOrder: DateOrder, keyColumns: Array<string>, duplicates: DuplicateRows, columns: Array<{ key: string, header: string, type: ColumnType, required: boolean, aliases: Array<string>, allowedValues: Array<string> | null, min: string | null, max: string | null, minLength: number | null, maxLength: number | null, pattern: string | null, unique: boolean }> } | null };

export type CreateTemplateMutationVariables = Exact<{
  input: CreateImportTemplateInput;
}>;


export type CreateTemplateMutation = { createImportTemplate: { id: string, name: string } };

export type UpdateTemplateMutationVariables = Exact<{
  id: string | number;
  input: UpdateImportTemplateInput;
}>;


export type UpdateTemplateMutation = { updateImportTemplate: { id: string, name: string } };

export type DeleteTemplateMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteTemplateMutation = { deleteImportTemplate: boolean };

export type InferTemplateMutationVariables = Exact<{
  file: File;
  headerRow?: number | null | undefined;
}>;


export type InferTemplateMutation = { inferImportTemplate: { sheetName: string | null, headerRow: number, sampleRows: Array<Record<string, unknown>>, columns: Array<{ key: string, header: string, type: ColumnType, required: boolean, aliases: Array<string> }> } };

export type StartImportMutationVariables = Exact<{
  templateId: string | number;
  file: File;
  options?: ImportOptions | null | undefined;
}>;


export type StartImportMutation = { startImport: { id: string, status: JobStatus } };

export type RetryImportMutationVariables = Exact<{
  id: string | number;
  options?: ImportOptions | null | undefined;
}>;


export type RetryImportMutation = { retryImport: { id: string, status: JobStatus } };

export type UpdateImportMappingMutationVariables = Exact<{
  id: string | number;
  mapping: Array<ColumnMappingInput> | ColumnMappingInput;
}>;


export type UpdateImportMappingMutation = { updateImportMapping: { id: string, status: JobStatus } };

export type ConfirmImportMutationVariables = Exact<{
  id: string | number;
  rememberMapping?: boolean | null | undefined;
}>;


export type ConfirmImportMutation = { confirmImport: { id: string, status: JobStatus } };

export type CancelImportMutationVariables = Exact<{
  id: string | number;
}>;


export type CancelImportMutation = { cancelImport: { id: string, status: JobStatus } };

export type CancelExportMutationVariables = Exact<{
  id: string | number;
}>;


export type CancelExportMutation = { cancelExport: { id: string, status: JobStatus } };

export type RequestExportMutationVariables = Exact<{
  templateId: string | number;
  format?: ExportFormat | null | undefined;
  importId?: string | number | null | undefined;
}>;


export type RequestExportMutation = { requestExport: { id: string, status: JobStatus } };

export type JobStatusSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type JobStatusSubscription = { jobStatus:
    | { __typename: 'Export', format: ExportFormat, rowCount: number | null, expiresAt: string | null, id: string, status: JobStatus, errorMessage: string | null, attempts: number, createdAt: string, updatedAt: string, processingStartedAt: string | null, processingCompletedAt: string | null, exportFileName: string | null, exportFileSize: number | null, template: { id: string, name: string } }
    | { __typename: 'Import', fileName: string, fileSize: number, phase: ImportPhase, rowsTotal: number | null, rowsProcessed: number, rowsImported: number, rowsFailed: number, mode: ImportMode, rowsCreated: number, rowsUpdated: number, rowsUnchanged: number, rowsDuplicate: number, id: string, status: JobStatus, errorMessage: string | null, attempts: number, createdAt: string, updatedAt: string, processingStartedAt: string | null, processingCompletedAt: string | null, template: { id: string, name: string } }
   };

export type MyJobsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type MyJobsSubscription = { myJobs:
    | { __typename: 'Export', format: ExportFormat, rowCount: number | null, expiresAt: string | null, id: string, status: JobStatus, errorMessage: string | null, attempts: number, createdAt: string, updatedAt: string, processingStartedAt: string | null, processingCompletedAt: string | null, exportFileName: string | null, exportFileSize: number | null, template: { id: string, name: string } }
    | { __typename: 'Import', fileName: string, fileSize: number, phase: ImportPhase, rowsTotal: number | null, rowsProcessed: number, rowsImported: number, rowsFailed: number, mode: ImportMode, rowsCreated: number, rowsUpdated: number, rowsUnchanged: number, rowsDuplicate: number, id: string, status: JobStatus, errorMessage: string | null, attempts: number, createdAt: string, updatedAt: string, processingStartedAt: string | null, processingCompletedAt: string | null, template: { id: string, name: string } }
   };

export type JobResultsQueryVariables = Exact<{
  id: string | number;
  first: number;
  changes: number;
}>;


export type JobResultsQuery = { job:
    | { __typename: 'Export', downloadUrl: string | null, format: ExportFormat, rowCount: number | null, expiresAt: string | null, id: string, status: JobStatus, errorMessage: string | null, attempts: number, createdAt: string, updatedAt: string, processingStartedAt: string | null, processingCompletedAt: string | null, exportFileName: string | null, exportFileSize: number | null, template: { id: string, name: string } }
    | { __typename: 'Import', errorReportUrl: string | null, fileName: string, fileSize: number, phase: ImportPhase, rowsTotal: number | null, rowsProcessed: number, rowsImported: number, rowsFailed: number, mode: ImportMode, rowsCreated: number, rowsUpdated: number, rowsUnchanged: number, rowsDuplicate: number, id: string, status: JobStatus, errorMessage: string | null, attempts: number, createdAt: string, updatedAt: string, processingStartedAt: string | null, processingCompletedAt: string | null, errors: { edges: Array<{ node: { rowNumber: number, column: string | null, message: string, value: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } }, template: { id: string, name: string, keyColumns: Array<string>, columns: Array<{ key: string, header: string, type: ColumnType }> }, changes: { edges: Array<{ node: { rowNumber: number, kind: ChangeKind, key: Record<string, unknown> | null, before: Record<string, unknown> | null, after: Record<string, unknown> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } }
   | null };

export type ImportChangesQueryVariables = Exact<{
  id: string | number;
  first: number;
  after?: string | null | undefined;
  kind?: ChangeKind | null | undefined;
}>;


export type ImportChangesQuery = { import: { id: string, changes: { edges: Array<{ node: { rowNumber: number, kind: ChangeKind, key: Record<string, unknown> | null, before: Record<string, unknown> | null, after: Record<string, unknown> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type MoreRowErrorsQueryVariables = Exact<{
  id: string | number;
  first: number;
  after?: string | null | undefined;
}>;


export type MoreRowErrorsQuery = { import: { errors: { edges: Array<{ node: { rowNumber: number, column: string | null, message: string, value: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type ImportReviewQueryVariables = Exact<{
  id: string | number;
  first: number;
  changes: number;
}>;


export type ImportReviewQuery = { import: { id: string, status: JobStatus, dryRun: boolean, errorMessage: string | null, rowsTotal: number | null, rowsImported: number, rowsFailed: number, mode: ImportMode, rowsCreated: number, rowsUpdated: number, rowsUnchanged: number, rowsDuplicate: number, sourceColumns: Array<{ index: number, header: string, samples: Array<string>, detectedType: ColumnType | null }>, mapping: Array<{ templateKey: string, templateHeader: string, required: boolean, sourceIndex: number | null, sourceHeader: string | null, match: MatchKind, score: number | null }>, errors: { edges: Array<{ node: { rowNumber: number, column: string | null, message: string, value: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } }, template: { id: string, keyColumns: Array<string>, columns: Array<{ key: string, header: string, type: ColumnType }> }, changes: { edges: Array<{ node: { rowNumber: number, kind: ChangeKind, key: Record<string, unknown> | null, before: Record<string, unknown> | null, after: Record<string, unknown> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type ImportRecordsQueryVariables = Exact<{
  id: string | number;
  first: number;
  after?: string | null | undefined;
}>;


export type ImportRecordsQuery = { import: { id: string, status: JobStatus, fileName: string, rowsImported: number, template: { id: string, name: string, columns: Array<{ key: string, header: string, type: ColumnType }> }, records: { edges: Array<{ node: { id: string, rowNumber: number, data: Record<string, unknown> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type MyJobListQueryVariables = Exact<{
  first: number;
}>;


export type MyJobListQuery = { imports: { edges: Array<{ node: { __typename: 'Import', fileName: string, fileSize: number, phase: ImportPhase, rowsTotal: number | null, rowsProcessed: number, rowsImported: number, rowsFailed: number, mode: ImportMode, rowsCreated: number, rowsUpdated: number, rowsUnchanged: number, rowsDuplicate: number, id: string, status: JobStatus, errorMessage: string | null, attempts: number, createdAt: string, updatedAt: string, processingStartedAt: string | null, processingCompletedAt: string | null, template: { id: string, name: string } } }> }, exports: { edges: Array<{ node: { __typename: 'Export', format: ExportFormat, rowCount: number | null, expiresAt: string | null, id: string, status: JobStatus, errorMessage: string | null, attempts: number, createdAt: string, updatedAt: string, processingStartedAt: string | null, processingCompletedAt: string | null, exportFileName: string | null, exportFileSize: number | null, template: { id: string, name: string } } }> } };

export type CompletedImportsQueryVariables = Exact<{ [key: string]: never; }>;


export type CompletedImportsQuery = { imports: { edges: Array<{ node: { id: string, fileName: string, createdAt: string, rowsImported: number, template: { id: string } } }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const JobViewFragmentDoc = new TypedDocumentString(`
    fragment JobView on Job {
  __typename
  id
  status
  errorMessage
  attempts
  createdAt
  updatedAt
  processingStartedAt
  processingCompletedAt
  ... on Import {
    fileName
    fileSize
    phase
    rowsTotal
    rowsProcessed
    rowsImported
    rowsFailed
    mode
    rowsCreated
    rowsUpdated
    rowsUnchanged
    rowsDuplicate
    template {
      id
      name
    }
  }
  ... on Export {
    exportFileName: fileName
    exportFileSize: fileSize
    format
    rowCount
    expiresAt
    template {
      id
      name
    }
  }
}
    `, {"fragmentName":"JobView"}) as unknown as TypedDocumentString<JobViewFragment, unknown>;
export const RowErrorPageFragmentDoc = new TypedDocumentString(`
    fragment RowErrorPage on ImportRowErrorConnection {
  edges {
    node {
      rowNumber
      column
      message
      value
    }
  }
  pageInfo {
    hasNextPage
    endCursor
  }
}
    `, {"fragmentName":"RowErrorPage"}) as unknown as TypedDocumentString<RowErrorPageFragment, unknown>;
export const TemplateFieldsFragmentDoc = new TypedDocumentString(`
    fragment TemplateFields on ImportTemplate {
  id
  name
  decimalSeparator
  dateOrder
  keyColumns
  duplicates
  columns {
    key
    header
    type
    required
    aliases
    allowedValues
    min
    max
    minLength
    maxLength
    pattern
    unique
  }
}
    `, {"fragmentName":"TemplateFields"}) as unknown as TypedDocumentString<TemplateFieldsFragment, unknown>;
export const ChangePageFragmentDoc = new TypedDocumentString(`
    fragment ChangePage on ImportChangeConnection {
  edges {
    node {
      rowNumber
      kind
      key
      before
      after
    }
  }
  pageInfo {
    hasNextPage
    endCursor
  }
}
    `, {"fragmentName":"ChangePage"}) as unknown as TypedDocumentString<ChangePageFragment, unknown>;
export const ChangeTemplateFragmentDoc = new TypedDocumentString(`
    fragment ChangeTemplate on ImportTemplate {
  id
  columns {
    key
    header
    type
  }
  keyColumns
}
    `, {"fragmentName":"ChangeTemplate"}) as unknown as TypedDocumentString<ChangeTemplateFragment, unknown>;
export const SignUpDocument = new TypedDocumentString(`
    mutation SignUp($email: String!, $password: String!) {
  signUp(email: $email, password: $password) {
    token
    user {
      email
    }
  }
}
    `) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const LogInDocument = new TypedDocumentString(`
    mutation LogIn($email: String!, $password: String!) {
  logIn(email: $email, password: $password) {
    token
    user {
      email
    }
  }
}
    `) as unknown as TypedDocumentString<LogInMutation, LogInMutationVariables>;
export const LogOutDocument = new TypedDocumentString(`
    mutation LogOut {
  logOut
}
    `) as unknown as TypedDocumentString<LogOutMutation, LogOutMutationVariables>;
export const TemplatesDocument = new TypedDocumentString(`
    query Templates($first: Int!, $after: String) {
  importTemplates(first: $first, after: $after) {
    edges {
      node {
        ...TemplateFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment TemplateFields on ImportTemplate {
  id
  name
  decimalSeparator
  dateOrder
  keyColumns
  duplicates
  columns {
    key
    header
    type
    required
    aliases
    allowedValues
    min
    max
    minLength
    maxLength
    pattern
    unique
  }
}`) as unknown as TypedDocumentString<TemplatesQuery, TemplatesQueryVariables>;
export const TemplateDocument = new TypedDocumentString(`
    query Template($id: ID!) {
  importTemplate(id: $id) {
    ...TemplateFields
  }
}
    fragment TemplateFields on ImportTemplate {
  id
  name
  decimalSeparator
  dateOrder
  keyColumns
  duplicates
  columns {
    key
    header
    type
    required
    aliases
    allowedValues
    min
    max
    minLength
    maxLength
    pattern
    unique
  }
}`) as unknown as TypedDocumentString<TemplateQuery, TemplateQueryVariables>;
export const CreateTemplateDocument = new TypedDocumentString(`
    mutation CreateTemplate($input: CreateImportTemplateInput!) {
  createImportTemplate(input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CreateTemplateMutation, CreateTemplateMutationVariables>;
export const UpdateTemplateDocument = new TypedDocumentString(`
    mutation UpdateTemplate($id: ID!, $input: UpdateImportTemplateInput!) {
  updateImportTemplate(id: $id, input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<UpdateTemplateMutation, UpdateTemplateMutationVariables>;
export const DeleteTemplateDocument = new TypedDocumentString(`
    mutation DeleteTemplate($id: ID!) {
  deleteImportTemplate(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteTemplateMutation, DeleteTemplateMutationVariables>;
export const InferTemplateDocument = new TypedDocumentString(`
    mutation InferTemplate($file: Upload!, $headerRow: Int) {
  inferImportTemplate(file: $file, headerRow: $headerRow) {
    sheetName
    headerRow
    columns {
      key
      header
      type
      required
      aliases
    }
    sampleRows
  }
}
    `) as unknown as TypedDocumentString<InferTemplateMutation, InferTemplateMutationVariables>;
export const StartImportDocument = new TypedDocumentString(`
    mutation StartImport($templateId: ID!, $file: Upload!, $options: ImportOptions) {
  startImport(templateId: $templateId, file: $file, options: $options) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<StartImportMutation, StartImportMutationVariables>;
export const RetryImportDocument = new TypedDocumentString(`
    mutation RetryImport($id: ID!, $options: ImportOptions) {
  retryImport(id: $id, options: $options) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<RetryImportMutation, RetryImportMutationVariables>;
export const UpdateImportMappingDocument = new TypedDocumentString(`
    mutation UpdateImportMapping($id: ID!, $mapping: [ColumnMappingInput!]!) {
  updateImportMapping(id: $id, mapping: $mapping) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<UpdateImportMappingMutation, UpdateImportMappingMutationVariables>;
export const ConfirmImportDocument = new TypedDocumentString(`
    mutation ConfirmImport($id: ID!, $rememberMapping: Boolean) {
  confirmImport(id: $id, rememberMapping: $rememberMapping) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<ConfirmImportMutation, ConfirmImportMutationVariables>;
export const CancelImportDocument = new TypedDocumentString(`
    mutation CancelImport($id: ID!) {
  cancelImport(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<CancelImportMutation, CancelImportMutationVariables>;
export const CancelExportDocument = new TypedDocumentString(`
    mutation CancelExport($id: ID!) {
  cancelExport(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<CancelExportMutation, CancelExportMutationVariables>;
export const RequestExportDocument = new TypedDocumentString(`
    mutation RequestExport($templateId: ID!, $format: ExportFormat, $importId: ID) {
  requestExport(templateId: $templateId, format: $format, importId: $importId) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<RequestExportMutation, RequestExportMutationVariables>;
export const JobStatusDocument = new TypedDocumentString(`
    subscription JobStatus($id: ID!) {
  jobStatus(id: $id) {
    ...JobView
  }
}
    fragment JobView on Job {
  __typename
  id
  status
  errorMessage
  attempts
  createdAt
  updatedAt
  processingStartedAt
  processingCompletedAt
  ... on Import {
    fileName
    fileSize
    phase
    rowsTotal
    rowsProcessed
    rowsImported
    rowsFailed
    mode
    rowsCreated
    rowsUpdated
    rowsUnchanged
    rowsDuplicate
    template {
      id
      name
    }
  }
  ... on Export {
    exportFileName: fileName
    exportFileSize: fileSize
    format
    rowCount
    expiresAt
    template {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<JobStatusSubscription, JobStatusSubscriptionVariables>;
export const MyJobsDocument = new TypedDocumentString(`
    subscription MyJobs {
  myJobs {
    ...JobView
  }
}
    fragment JobView on Job {
  __typename
  id
  status
  errorMessage
  attempts
  createdAt
  updatedAt
  processingStartedAt
  processingCompletedAt
  ... on Import {
    fileName
    fileSize
    phase
    rowsTotal
    rowsProcessed
    rowsImported
    rowsFailed
    mode
    rowsCreated
    rowsUpdated
    rowsUnchanged
    rowsDuplicate
    template {
      id
      name
    }
  }
  ... on Export {
    exportFileName: fileName
    exportFileSize: fileSize
    format
    rowCount
    expiresAt
    template {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<MyJobsSubscription, MyJobsSubscriptionVariables>;
export const JobResultsDocument = new TypedDocumentString(`
    query JobResults($id: ID!, $first: Int!, $changes: Int!) {
  job(id: $id) {
    ...JobView
    ... on Import {
      errorReportUrl
      errors(first: $first) {
        ...RowErrorPage
      }
      template {
        ...ChangeTemplate
      }
      changes(first: $changes) {
        ...ChangePage
      }
    }
    ... on Export {
      downloadUrl
    }
  }
}
    fragment JobView on Job {
  __typename
  id
  status
  errorMessage
  attempts
  createdAt
  updatedAt
  processingStartedAt
  processingCompletedAt
  ... on Import {
    fileName
    fileSize
    phase
    rowsTotal
    rowsProcessed
    rowsImported
    rowsFailed
    mode
    rowsCreated
    rowsUpdated
    rowsUnchanged
    rowsDuplicate
    template {
      id
      name
    }
  }
  ... on Export {
    exportFileName: fileName
    exportFileSize: fileSize
    format
    rowCount
    expiresAt
    template {
      id
      name
    }
  }
}
fragment RowErrorPage on ImportRowErrorConnection {
  edges {
    node {
      rowNumber
      column
      message
      value
    }
  }
  pageInfo {
    hasNextPage
    endCursor
  }
}
fragment ChangePage on ImportChangeConnection {
  edges {
    node {
      rowNumber
      kind
      key
      before
      after
    }
  }
  pageInfo {
    hasNextPage
    endCursor
  }
}
fragment ChangeTemplate on ImportTemplate {
  id
  columns {
    key
    header
    type
  }
  keyColumns
}`) as unknown as TypedDocumentString<JobResultsQuery, JobResultsQueryVariables>;
export const ImportChangesDocument = new TypedDocumentString(`
    query ImportChanges($id: ID!, $first: Int!, $after: String, $kind: ChangeKind) {
  import(id: $id) {
    id
    changes(first: $first, after: $after, kind: $kind) {
      ...ChangePage
    }
  }
}
    fragment ChangePage on ImportChangeConnection {
  edges {
    node {
      rowNumber
      kind
      key
      before
      after
    }
  }
  pageInfo {
    hasNextPage
    endCursor
  }
}`) as unknown as TypedDocumentString<ImportChangesQuery, ImportChangesQueryVariables>;
export const MoreRowErrorsDocument = new TypedDocumentString(`
    query MoreRowErrors($id: ID!, $first: Int!, $after: String) {
  import(id: $id) {
    errors(first: $first, after: $after) {
      ...RowErrorPage
    }
  }
}
    fragment RowErrorPage on ImportRowErrorConnection {
  edges {
    node {
      rowNumber
      column
      message
      value
    }
  }
  pageInfo {
    hasNextPage
    endCursor
  }
}`) as unknown as TypedDocumentString<MoreRowErrorsQuery, MoreRowErrorsQueryVariables>;
export const ImportReviewDocument = new TypedDocumentString(`
    query ImportReview($id: ID!, $first: Int!, $changes: Int!) {
  import(id: $id) {
    id
    status
    dryRun
    errorMessage
    rowsTotal
    rowsImported
    rowsFailed
    mode
    rowsCreated
    rowsUpdated
    rowsUnchanged
    rowsDuplicate
    sourceColumns {
      index
      header
      samples
      detectedType
    }
    mapping {
      templateKey
      templateHeader
      required
      sourceIndex
      sourceHeader
      match
      score
    }
    errors(first: $first) {
      ...RowErrorPage
    }
    template {
      ...ChangeTemplate
    }
    changes(first: $changes) {
      ...ChangePage
    }
  }
}
    fragment RowErrorPage on ImportRowErrorConnection {
  edges {
    node {
      rowNumber
      column
      message
      value
    }
  }
  pageInfo {
    hasNextPage
    endCursor
  }
}
fragment ChangePage on ImportChangeConnection {
  edges {
    node {
      rowNumber
      kind
      key
      before
      after
    }
  }
  pageInfo {
    hasNextPage
    endCursor
  }
}
fragment ChangeTemplate on ImportTemplate {
  id
  columns {
    key
    header
    type
  }
  keyColumns
}`) as unknown as TypedDocumentString<ImportReviewQuery, ImportReviewQueryVariables>;
export const ImportRecordsDocument = new TypedDocumentString(`
    query ImportRecords($id: ID!, $first: Int!, $after: String) {
  import(id: $id) {
    id
    status
    fileName
    rowsImported
    template {
      id
      name
      columns {
        key
        header
        type
      }
    }
    records(first: $first, after: $after) {
      edges {
        node {
          id
          rowNumber
          data
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ImportRecordsQuery, ImportRecordsQueryVariables>;
export const MyJobListDocument = new TypedDocumentString(`
    query MyJobList($first: Int!) {
  imports(first: $first) {
    edges {
      node {
        ...JobView
      }
    }
  }
  exports(first: $first) {
    edges {
      node {
        ...JobView
      }
    }
  }
}
    fragment JobView on Job {
  __typename
  id
  status
  errorMessage
  attempts
  createdAt
  updatedAt
  processingStartedAt
  processingCompletedAt
  ... on Import {
    fileName
    fileSize
    phase
    rowsTotal
    rowsProcessed
    rowsImported
    rowsFailed
    mode
    rowsCreated
    rowsUpdated
    rowsUnchanged
    rowsDuplicate
    template {
      id
      name
    }
  }
  ... on Export {
    exportFileName: fileName
    exportFileSize: fileSize
    format
    rowCount
    expiresAt
    template {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<MyJobListQuery, MyJobListQueryVariables>;
export const CompletedImportsDocument = new TypedDocumentString(`
    query CompletedImports {
  imports(first: 100, status: COMPLETED) {
    edges {
      node {
        id
        fileName
        createdAt
        rowsImported
        template {
          id
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CompletedImportsQuery, CompletedImportsQueryVariables>;