import { graphql } from "./gql/index.js";

/** The operations tests send, typed by `npm run generate` (GraphQL Code Generator). */

export const SignUp = graphql(`
  mutation SignUp($email: String!, $password: String!) {
    signUp(email: $email, password: $password) {
      token
      user {
        id
        email
        createdAt
      }
    }
  }
`);

export const LogIn = graphql(`
  mutation LogIn($email: String!, $password: String!) {
    logIn(email: $email, password: $password) {
      token
      user {
        id
        email
      }
    }
  }
`);

export const LogOut = graphql(`
  mutation LogOut {
    logOut
  }
`);

export const Me = graphql(`
  query Me {
    me {
      id
      email
    }
  }
`);

export const CreateTemplate = graphql(`
  mutation CreateTemplate($input: CreateImportTemplateInput!) {
    createImportTemplate(input: $input) {
      id
      name
      columns {
        key
        header
        type
        required
      }
      decimalSeparator
      dateOrder
    }
  }
`);

export const ImportFields = graphql(`
  fragment ImportFields on Import {
    id
    status
    phase
    fileName
    fileSize
    rowsTotal
    rowsProcessed
    rowsImported
    rowsFailed
    errorMessage
    backgroundJobId
    attempts
    processingStartedAt
    processingCompletedAt
    sheetName
    sheets
    headerRow
    encoding
    delimiter
    template {
      id
    }
  }
`);

export const StartImport = graphql(`
  mutation StartImport($templateId: ID!, $file: Upload!, $options: ImportOptions) {
    startImport(templateId: $templateId, file: $file, options: $options) {
      ...ImportFields
    }
  }
`);

export const RetryImport = graphql(`
  mutation RetryImport($id: ID!) {
    retryImport(id: $id) {
      ...ImportFields
    }
  }
`);

export const GetImport = graphql(`
  query GetImport($id: ID!, $first: Int, $after: String, $errorsAfter: String) {
    import(id: $id) {
      ...ImportFields
      records(first: $first, after: $after) {
        edges {
          cursor
          node {
            rowNumber
            data
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
      errors(first: $first, after: $errorsAfter) {
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
    }
  }
`);

export const ListImports = graphql(`
  query ListImports($first: Int, $after: String, $status: JobStatus) {
    imports(first: $first, after: $after, status: $status) {
      edges {
        cursor
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

export const GetJob = graphql(`
  query GetJob($id: ID!) {
    job(id: $id) {
      __typename
      id
      status
    }
  }
`);

export const Templates = graphql(`
  query Templates($first: Int, $after: String) {
    importTemplates(first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          id
          name
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`);

export const GetTemplate = graphql(`
  query GetTemplate($id: ID!) {
    importTemplate(id: $id) {
      id
    }
  }
`);

export const DeleteTemplate = graphql(`
  mutation DeleteTemplate($id: ID!) {
    deleteImportTemplate(id: $id)
  }
`);

export const JobStatusSubscription = graphql(`
  subscription JobStatus($id: ID!) {
    jobStatus(id: $id) {
      __typename
      id
      status
      errorMessage
      processingStartedAt
      processingCompletedAt
      ... on Import {
        phase
        rowsProcessed
        rowsImported
        rowsFailed
      }
    }
  }
`);

export const MyJobsSubscription = graphql(`
  subscription MyJobs {
    myJobs {
      __typename
      id
      status
    }
  }
`);
