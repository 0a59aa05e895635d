// The page's GraphQL operations. It is the reference client of the public API, so it uses nothing
// but what schema.graphql offers; `npm run generate` (codegen.ts) types each document's variables
// and result into ./gql/, as a TypedDocumentString that src/web/api.ts sends as it is.
import { graphql } from "./gql/index.js";
import type {
  ChangePageFragment,
  ChangeTemplateFragment,
  CompletedImportsQuery,
  ImportRecordsQuery,
  ImportReviewQuery,
  InferTemplateMutation,
  JobViewFragment,
  RowErrorPageFragment,
  TemplateFieldsFragment,
} from "./gql/graphql.js";

export type {
  ChangeKind,
  ColumnType,
  DateOrder,
  DecimalSeparator,
  DuplicateRows,
  ExportFormat,
  ImportMode,
  ImportOptions,
  JobResultsQuery,
  JobStatus,
  MatchKind,
  TemplateColumnInput,
  TemplatesQuery,
} from "./gql/graphql.js";

/** What every page shows of a job, of either kind. */
graphql(`
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
    # aliased: fileName is String! on Import and String on Export, which one selection cannot mix
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
`);

graphql(`
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
`);

graphql(`
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
`);

graphql(`
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
`);

/** What the changes table needs besides the changes: the template's columns, to name and format the values. */
graphql(`
  fragment ChangeTemplate on ImportTemplate {
    id
    columns {
      key
      header
      type
    }
    keyColumns
  }
`);

export const SIGN_UP = graphql(`
  mutation SignUp($email: String!, $password: String!) {
    signUp(email: $email, password: $password) {
      token
      user {
        email
      }
    }
  }
`);

export const LOG_IN = graphql(`
  mutation LogIn($email: String!, $password: String!) {
    logIn(email: $email, password: $password) {
      token
      user {
        email
      }
    }
  }
`);

export const LOG_OUT = graphql(`
  mutation LogOut {
    logOut
  }
`);

/** A page of templates; the pages that list them read every page (see allTemplates in api.ts). */
export const TEMPLATES = graphql(`
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
`);

export const TEMPLATE = graphql(`
  query Template($id: ID!) {
    importTemplate(id: $id) {
      ...TemplateFields
    }
  }
`);

export const CREATE_TEMPLATE = graphql(`
  mutation CreateTemplate($input: CreateImportTemplateInput!) {
    createImportTemplate(input: $input) {
      id
      name
    }
  }
`);

export const UPDATE_TEMPLATE = graphql(`
  mutation UpdateTemplate($id: ID!, $input: UpdateImportTemplateInput!) {
    updateImportTemplate(id: $id, input: $input) {
      id
      name
    }
  }
`);

export const DELETE_TEMPLATE = graphql(`
  mutation DeleteTemplate($id: ID!) {
    deleteImportTemplate(id: $id)
  }
`);

/** Reads a sample file and proposes a template's columns; saves nothing. */
export const INFER_TEMPLATE = graphql(`
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
`);

export const START_IMPORT = graphql(`
  mutation StartImport($templateId: ID!, $file: Upload!, $options: ImportOptions) {
    startImport(templateId: $templateId, file: $file, options: $options) {
      id
      status
    }
  }
`);

export const RETRY_IMPORT = graphql(`
  mutation RetryImport($id: ID!, $options: ImportOptions) {
    retryImport(id: $id, options: $options) {
      id
      status
    }
  }
`);

export const UPDATE_MAPPING = graphql(`
  mutation UpdateImportMapping($id: ID!, $mapping: [ColumnMappingInput!]!) {
    updateImportMapping(id: $id, mapping: $mapping) {
      id
      status
    }
  }
`);

export const CONFIRM_IMPORT = graphql(`
  mutation ConfirmImport($id: ID!, $rememberMapping: Boolean) {
    confirmImport(id: $id, rememberMapping: $rememberMapping) {
      id
      status
    }
  }
`);

export const CANCEL_IMPORT = graphql(`
  mutation CancelImport($id: ID!) {
    cancelImport(id: $id) {
      id
      status
    }
  }
`);

export const CANCEL_EXPORT = graphql(`
  mutation CancelExport($id: ID!) {
    cancelExport(id: $id) {
      id
      status
    }
  }
`);

export const REQUEST_EXPORT = graphql(`
  mutation RequestExport($templateId: ID!, $format: ExportFormat, $importId: ID) {
    requestExport(templateId: $templateId, format: $format, importId: $importId) {
      id
      status
    }
  }
`);

export const JOB_STATUS = graphql(`
  subscription JobStatus($id: ID!) {
    jobStatus(id: $id) {
      ...JobView
    }
  }
`);

export const MY_JOBS = graphql(`
  subscription MyJobs {
    myJobs {
      ...JobView
    }
  }
`);

/** What a finished job offers: row errors and the error report, or the export's download. */
export const JOB_RESULTS = graphql(`
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
`);

/** A page of an import's changes to its template's records, of one kind or all. */
export const IMPORT_CHANGES = graphql(`
  query ImportChanges($id: ID!, $first: Int!, $after: String, $kind: ChangeKind) {
    import(id: $id) {
      id
      changes(first: $first, after: $after, kind: $kind) {
        ...ChangePage
      }
    }
  }
`);

export const MORE_ROW_ERRORS = graphql(`
  query MoreRowErrors($id: ID!, $first: Int!, $after: String) {
    import(id: $id) {
      errors(first: $first, after: $after) {
        ...RowErrorPage
      }
    }
  }
`);

/** The matching step: how the file's columns were matched to the template's, and what a dry run found. */
export const IMPORT_REVIEW = graphql(`
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
`);

export const IMPORT_RECORDS = graphql(`
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
`);

export const MY_JOB_LIST = graphql(`
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
`);

export const COMPLETED_IMPORTS = graphql(`
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
`);

// the shapes the pages pass around, named after what they are; each is what an operation above selects

/** A job as the operations above select it: narrow on `__typename` for an import's or an export's fields. */
export type JobView = JobViewFragment;
export type ImportView = Extract<JobView, { __typename: "Import" }>;
export type ExportView = Extract<JobView, { __typename: "Export" }>;
export type Template = TemplateFieldsFragment;
export type TemplateColumn = Template["columns"][number];
/** A column's rules besides its type; null is no rule. */
export type ColumnRules = Omit<TemplateColumn, "key" | "header" | "type" | "required" | "aliases">;
export type InferredTemplate = InferTemplateMutation["inferImportTemplate"];
export type RowErrorPage = RowErrorPageFragment;
export type RowError = RowErrorPage["edges"][number]["node"];
export type ImportChangePage = ChangePageFragment;
/** One row of Import.changes: `key` is null without key columns, `before` null when CREATED. */
export type ImportChange = ImportChangePage["edges"][number]["node"];
export type ChangeTemplate = ChangeTemplateFragment;
export type ImportReview = NonNullable<ImportReviewQuery["import"]>;
export type SourceColumn = ImportReview["sourceColumns"][number];
export type ColumnMapping = ImportReview["mapping"][number];
export type CompletedImport = CompletedImportsQuery["imports"]["edges"][number]["node"];
export type RecordsPage = NonNullable<ImportRecordsQuery["import"]>;
/** What an import did, or in review would do, to its template's records. */
export type ChangeCounts = Pick<
  ImportReview,
  "mode" | "rowsCreated" | "rowsUpdated" | "rowsUnchanged" | "rowsDuplicate"
>;

/** Whether a job has stopped changing. NEEDS_REVIEW has not: it waits for the person. */
export const isFinished = (job: Pick<JobView, "status">) =>
  job.status === "COMPLETED" || job.status === "FAILED" || job.status === "CANCELLED";

/** Whether a job is queued or running, and so can be cancelled. */
export const isRunning = (job: Pick<JobView, "status">) => job.status === "PENDING" || job.status === "PROCESSING";
