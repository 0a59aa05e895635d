import { graphql } from "./gql/index.js";

/** The export operations tests send, typed by `npm run generate` (GraphQL Code Generator). */

export const ExportFields = graphql(`
  fragment ExportFields on Export {
    id
    status
    format
    rowCount
    fileName
    fileSize
    downloadUrl
    expiresAt
    errorMessage
    backgroundJobId
    attempts
    processingStartedAt
    processingCompletedAt
    template {
      id
    }
  }
`);

export const RequestExport = graphql(`
  mutation RequestExport($templateId: ID!, $format: ExportFormat, $importId: ID) {
    requestExport(templateId: $templateId, format: $format, importId: $importId) {
      ...ExportFields
    }
  }
`);

export const GetExport = graphql(`
  query GetExport($id: ID!) {
    export(id: $id) {
      ...ExportFields
    }
  }
`);

export const ListExports = graphql(`
  query ListExports($first: Int, $after: String, $status: JobStatus) {
    exports(first: $first, after: $after, status: $status) {
      edges {
        node {
          id
          status
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const GetExportJob = graphql(`
  query GetExportJob($id: ID!) {
    job(id: $id) {
      __typename
      id
      status
      ... on Export {
        format
        rowCount
      }
    }
  }
`);

export const GetErrorReportUrl = graphql(`
  query GetErrorReportUrl($id: ID!) {
    import(id: $id) {
      id
      status
      rowsFailed
      errorReportUrl
    }
  }
`);

export const WatchExport = graphql(`
  subscription WatchExport($id: ID!) {
    jobStatus(id: $id) {
      __typename
      id
      status
      ... on Export {
        rowCount
        downloadUrl
      }
    }
  }
`);
