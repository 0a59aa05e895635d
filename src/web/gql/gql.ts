/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment JobView on Job {\n    __typename\n    id\n    status\n    errorMessage\n    attempts\n    createdAt\n    updatedAt\n    processingStartedAt\n    processingCompletedAt\n    ... on Import {\n      fileName\n      fileSize\n      phase\n      rowsTotal\n      rowsProcessed\n      rowsImported\n      rowsFailed\n      mode\n      rowsCreated\n      rowsUpdated\n      rowsUnchanged\n      rowsDuplicate\n      template {\n        id\n        name\n      }\n    }\n    # aliased: fileName is String! on Import and String on Export, which one selection cannot mix\n    ... on Export {\n      exportFileName: fileName\n      exportFileSize: fileSize\n      format\n      rowCount\n      expiresAt\n      template {\n        id\n        name\n      }\n    }\n  }\n": typeof types.JobViewFragmentDoc,
    "\n  fragment RowErrorPage on ImportRowErrorConnection {\n    edges {\n      node {\n        rowNumber\n        column\n        message\n        value\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n": typeof types.RowErrorPageFragmentDoc,
    "\n  fragment TemplateFields on ImportTemplate {\n    id\n    name\n    decimalSeparator\n    dateOrder\n    keyColumns\n    duplicates\n    columns {\n      key\n      header\n      type\n      required\n      aliases\n      allowedValues\n      min\n      max\n      minLength\n      maxLength\n      pattern\n      unique\n    }\n  }\n": typeof types.TemplateFieldsFragmentDoc,
    "\n  fragment ChangePage on ImportChangeConnection {\n    edges {\n      node {\n        rowNumber\n        kind\n        key\n        before\n        after\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n": typeof types.ChangePageFragmentDoc,
    "\n  fragment ChangeTemplate on ImportTemplate {\n    id\n    columns {\n      key\n      header\n      type\n    }\n    keyColumns\n  }\n": typeof types.ChangeTemplateFragmentDoc,
    "\n  mutation SignUp($email: String!, $password: String!) {\n    signUp(email: $email, password: $password) {\n      token\n      user {\n        email\n      }\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) {\n      token\n      user {\n        email\n      }\n    }\n  }\n": typeof types.LogInDocument,
    "\n  mutation LogOut {\n    logOut\n  }\n": typeof types.LogOutDocument,
    "\n  query Templates($first: Int!, $after: String) {\n    importTemplates(first: $first, after: $after) {\n      edges {\n        node {\n          ...TemplateFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.TemplatesDocument,
    "\n  query Template($id: ID!) {\n    importTemplate(id: $id) {\n      ...TemplateFields\n    }\n  }\n": typeof types.TemplateDocument,
    "\n  mutation CreateTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.CreateTemplateDocument,
    "\n  mutation UpdateTemplate($id: ID!, $input: UpdateImportTemplateInput!) {\n    updateImportTemplate(id: $id, input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.UpdateTemplateDocument,
    "\n  mutation DeleteTemplate($id: ID!) {\n    deleteImportTemplate(id: $id)\n  }\n": typeof types.DeleteTemplateDocument,
    "\n  mutation InferTemplate($file: Upload!, $headerRow: Int) {\n    inferImportTemplate(file: $file, headerRow: $headerRow) {\n      sheetName\n      headerRow\n      columns {\n        key\n        header\n        type\n        required\n        aliases\n      }\n      sampleRows\n    }\n  }\n": typeof types.InferTemplateDocument,
    "\n  mutation StartImport($templateId: ID!, $file: Upload!, $options: ImportOptions) {\n    startImport(templateId: $templateId, file: $file, options: $options) {\n      id\n      status\n    }\n  }\n": typeof types.StartImportDocument,
    "\n  mutation RetryImport($id: ID!, $options: ImportOptions) {\n    retryImport(id: $id, options: $options) {\n      id\n      status\n    }\n  }\n": typeof types.RetryImportDocument,
    "\n  mutation UpdateImportMapping($id: ID!, $mapping: [ColumnMappingInput!]!) {\n    updateImportMapping(id: $id, mapping: $mapping) {\n      id\n      status\n    }\n  }\n": typeof types.UpdateImportMappingDocument,
    "\n  mutation ConfirmImport($id: ID!, $rememberMapping: Boolean) {\n    confirmImport(id: $id, rememberMapping: $rememberMapping) {\n      id\n      status\n    }\n  }\n": typeof types.ConfirmImportDocument,
    "\n  mutation CancelImport($id: ID!) {\n    cancelImport(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.CancelImportDocument,
    "\n  mutation CancelExport($id: ID!) {\n    cancelExport(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.CancelExportDocument,
    "\n  mutation RequestExport($templateId: ID!, $format: ExportFormat, $importId: ID) {\n    requestExport(templateId: $templateId, format: $format, importId: $importId) {\n      id\n      status\n    }\n  }\n": typeof types.RequestExportDocument,
    "\n  subscription JobStatus($id: ID!) {\n    jobStatus(id: $id) {\n      ...JobView\n    }\n  }\n": typeof types.JobStatusDocument,
    "\n  subscription MyJobs {\n    myJobs {\n      ...JobView\n    }\n  }\n": typeof types.MyJobsDocument,
    "\n  query JobResults($id: ID!, $first: Int!, $changes: Int!) {\n    job(id: $id) {\n      ...JobView\n      ... on Import {\n        errorReportUrl\n        errors(first: $first) {\n          ...RowErrorPage\n        }\n        template {\n          ...ChangeTemplate\n        }\n        changes(first: $changes) {\n          ...ChangePage\n        }\n      }\n      ... on Export {\n        downloadUrl\n      }\n    }\n  }\n": typeof types.JobResultsDocument,
    "\n  query ImportChanges($id: ID!, $first: Int!, $after: String, $kind: ChangeKind) {\n    import(id: $id) {\n      id\n      changes(first: $first, after: $after, kind: $kind) {\n        ...ChangePage\n      }\n    }\n  }\n": typeof types.ImportChangesDocument,
    "\n  query MoreRowErrors($id: ID!, $first: Int!, $after: String) {\n    import(id: $id) {\n      errors(first: $first, after: $after) {\n        ...RowErrorPage\n      }\n    }\n  }\n": typeof types.MoreRowErrorsDocument,
    "\n  query ImportReview($id: ID!, $first: Int!, $changes: Int!) {\n    import(id: $id) {\n      id\n      status\n      dryRun\n      errorMessage\n      rowsTotal\n      rowsImported\n      rowsFailed\n      mode\n      rowsCreated\n      rowsUpdated\n      rowsUnchanged\n      rowsDuplicate\n      sourceColumns {\n        index\n        header\n        samples\n        detectedType\n      }\n      mapping {\n        templateKey\n        templateHeader\n        required\n        sourceIndex\n        sourceHeader\n        match\n        score\n      }\n      errors(first: $first) {\n        ...RowErrorPage\n      }\n      template {\n        ...ChangeTemplate\n      }\n      changes(first: $changes) {\n        ...ChangePage\n      }\n    }\n  }\n": typeof types.ImportReviewDocument,
    "\n  query ImportRecords($id: ID!, $first: Int!, $after: String) {\n    import(id: $id) {\n      id\n      status\n      fileName\n      rowsImported\n      template {\n        id\n        name\n        columns {\n          key\n          header\n          type\n        }\n      }\n      records(first: $first, after: $after) {\n        edges {\n          node {\n            id\n            rowNumber\n            data\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.ImportRecordsDocument,
    "\n  query MyJobList($first: Int!) {\n    imports(first: $first) {\n      edges {\n        node {\n          ...JobView\n        }\n      }\n    }\n    exports(first: $first) {\n      edges {\n        node {\n          ...JobView\n        }\n      }\n    }\n  }\n": typeof types.MyJobListDocument,
    "\n  query CompletedImports {\n    imports(first: 100, status: COMPLETED) {\n      edges {\n        node {\n          id\n          fileName\n          createdAt\n          rowsImported\n          template {\n            id\n          }\n        }\n      }\n    }\n  }\n": typeof types.CompletedImportsDocument,
};
const documents: Documents = {
    "\n  fragment JobView on Job {\n    __typename\n    id\n    status\n    errorMessage\n    attempts\n    createdAt\n    updatedAt\n    processingStartedAt\n    processingCompletedAt\n    ... on Import {\n      fileName\n      fileSize\n      phase\n      rowsTotal\n      rowsProcessed\n      rowsImported\n      rowsFailed\n      mode\n      rowsCreated\n      rowsUpdated\n      rowsUnchanged\n      rowsDuplicate\n      template {\n        id\n        name\n      }\n    }\n    # aliased: fileName is String! on Import and String on Export, which one selection cannot mix\n    ... on Export {\n      exportFileName: fileName\n      exportFileSize: fileSize\n      format\n      rowCount\n      expiresAt\n      template {\n        id\n        name\n      }\n    }\n  }\n": types.JobViewFragmentDoc,
    "\n  fragment RowErrorPage on ImportRowErrorConnection {\n    edges {\n      node {\n        rowNumber\n        column\n        message\n        value\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n": types.RowErrorPageFragmentDoc,
    "\n  fragment TemplateFields on ImportTemplate {\n    id\n    name\n    decimalSeparator\n    dateOrder\n    keyColumns\n    duplicates\n    columns {\n      key\n      header\n      type\n      required\n      aliases\n      allowedValues\n      min\n      max\n      minLength\n      maxLength\n      pattern\n      unique\n    }\n  }\n": types.TemplateFieldsFragmentDoc,
    "\n  fragment ChangePage on ImportChangeConnection {\n    edges {\n      node {\n        rowNumber\n        kind\n        key\n        before\n        after\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n": types.ChangePageFragmentDoc,
    "\n  fragment ChangeTemplate on ImportTemplate {\n    id\n    columns {\n      key\n      header\n      type\n    }\n    keyColumns\n  }\n": types.ChangeTemplateFragmentDoc,
    "\n  mutation SignUp($email: String!, $password: String!) {\n    signUp(email: $email, password: $password) {\n      token\n      user {\n        email\n      }\n    }\n  }\n": types.SignUpDocument,
    "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) {\n      token\n      user {\n        email\n      }\n    }\n  }\n": types.LogInDocument,
    "\n  mutation LogOut {\n    logOut\n  }\n": types.LogOutDocument,
    "\n  query Templates($first: Int!, $after: String) {\n    importTemplates(first: $first, after: $after) {\n      edges {\n        node {\n          ...TemplateFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.TemplatesDocument,
    "\n  query Template($id: ID!) {\n    importTemplate(id: $id) {\n      ...TemplateFields\n    }\n  }\n": types.TemplateDocument,
    "\n  mutation CreateTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      id\n      name\n    }\n  }\n": types.CreateTemplateDocument,
    "\n  mutation UpdateTemplate($id: ID!, $input: UpdateImportTemplateInput!) {\n    updateImportTemplate(id: $id, input: $input) {\n      id\n      name\n    }\n  }\n": types.UpdateTemplateDocument,
    "\n  mutation DeleteTemplate($id: ID!) {\n    deleteImportTemplate(id: $id)\n  }\n": types.DeleteTemplateDocument,
    "\n  mutation InferTemplate($file: Upload!, $headerRow: Int) {\n    inferImportTemplate(file: $file, headerRow: $headerRow) {\n      sheetName\n      headerRow\n      columns {\n        key\n        header\n        type\n        required\n        aliases\n      }\n      sampleRows\n    }\n  }\n": types.InferTemplateDocument,
    "\n  mutation StartImport($templateId: ID!, $file: Upload!, $options: ImportOptions) {\n    startImport(templateId: $templateId, file: $file, options: $options) {\n      id\n      status\n    }\n  }\n": types.StartImportDocument,
    "\n  mutation RetryImport($id: ID!, $options: ImportOptions) {\n    retryImport(id: $id, options: $options) {\n      id\n      status\n    }\n  }\n": types.RetryImportDocument,
    "\n  mutation UpdateImportMapping($id: ID!, $mapping: [ColumnMappingInput!]!) {\n    updateImportMapping(id: $id, mapping: $mapping) {\n      id\n      status\n    }\n  }\n": types.UpdateImportMappingDocument,
    "\n  mutation ConfirmImport($id: ID!, $rememberMapping: Boolean) {\n    confirmImport(id: $id, rememberMapping: $rememberMapping) {\n      id\n      status\n    }\n  }\n": types.ConfirmImportDocument,
    "\n  mutation CancelImport($id: ID!) {\n    cancelImport(id: $id) {\n      id\n      status\n    }\n  }\n": types.CancelImportDocument,
    "\n  mutation CancelExport($id: ID!) {\n    cancelExport(id: $id) {\n      id\n      status\n    }\n  }\n": types.CancelExportDocument,
    "\n  mutation RequestExport($templateId: ID!, $format: ExportFormat, $importId: ID) {\n    requestExport(templateId: $templateId, format: $format, importId: $importId) {\n      id\n      status\n    }\n  }\n": types.RequestExportDocument,
    "\n  subscription JobStatus($id: ID!) {\n    jobStatus(id: $id) {\n      ...JobView\n    }\n  }\n": types.JobStatusDocument,
    "\n  subscription MyJobs {\n    myJobs {\n      ...JobView\n    }\n  }\n": types.MyJobsDocument,
    "\n  query JobResults($id: ID!, $first: Int!, $changes: Int!) {\n    job(id: $id) {\n      ...JobView\n      ... on Import {\n        errorReportUrl\n        errors(first: $first) {\n          ...RowErrorPage\n        }\n        template {\n          ...ChangeTemplate\n        }\n        changes(first: $changes) {\n          ...ChangePage\n        }\n      }\n      ... on Export {\n        downloadUrl\n      }\n    }\n  }\n": types.JobResultsDocument,
    "\n  query ImportChanges($id: ID!, $first: Int!, $after: String, $kind: ChangeKind) {\n    import(id: $id) {\n      id\n      changes(first: $first, after: $after, kind: $kind) {\n        ...ChangePage\n      }\n    }\n  }\n": types.ImportChangesDocument,
    "\n  query MoreRowErrors($id: ID!, $first: Int!, $after: String) {\n    import(id: $id) {\n      errors(first: $first, after: $after) {\n        ...RowErrorPage\n      }\n    }\n  }\n": types.MoreRowErrorsDocument,
    "\n  query ImportReview($id: ID!, $first: Int!, $changes: Int!) {\n    import(id: $id) {\n      id\n      status\n      dryRun\n      errorMessage\n      rowsTotal\n      rowsImported\n      rowsFailed\n      mode\n      rowsCreated\n      rowsUpdated\n      rowsUnchanged\n      rowsDuplicate\n      sourceColumns {\n        index\n        header\n        samples\n        detectedType\n      }\n      mapping {\n        templateKey\n        templateHeader\n        required\n        sourceIndex\n        sourceHeader\n        match\n        score\n      }\n      errors(first: $first) {\n        ...RowErrorPage\n      }\n      template {\n        ...ChangeTemplate\n      }\n      changes(first: $changes) {\n        ...ChangePage\n      }\n    }\n  }\n": types.ImportReviewDocument,
    "\n  query ImportRecords($id: ID!, $first: Int!, $after: String) {\n    import(id: $id) {\n      id\n      status\n      fileName\n      rowsImported\n      template {\n        id\n        name\n        columns {\n          key\n          header\n          type\n        }\n      }\n      records(first: $first, after: $after) {\n        edges {\n          node {\n            id\n            rowNumber\n            data\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.ImportRecordsDocument,
    "\n  query MyJobList($first: Int!) {\n    imports(first: $first) {\n      edges {\n        node {\n          ...JobView\n        }\n      }\n    }\n    exports(first: $first) {\n      edges {\n        node {\n          ...JobView\n        }\n      }\n    }\n  }\n": types.MyJobListDocument,
    "\n  query CompletedImports {\n    imports(first: 100, status: COMPLETED) {\n      edges {\n        node {\n          id\n          fileName\n          createdAt\n          rowsImported\n          template {\n            id\n          }\n        }\n      }\n    }\n  }\n": types.CompletedImportsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobView on Job {\n    __typename\n    id\n    status\n    errorMessage\n    attempts\n    createdAt\n    updatedAt\n    processingStartedAt\n    processingCompletedAt\n    ... on Import {\n      fileName\n      fileSize\n      phase\n      rowsTotal\n      rowsProcessed\n      rowsImported\n      rowsFailed\n      mode\n      rowsCreated\n      rowsUpdated\n      rowsUnchanged\n      rowsDuplicate\n      template {\n        id\n        name\n      }\n    }\n    # aliased: fileName is String! on Import and String on Export, which one selection cannot mix\n    ... on Export {\n      exportFileName: fileName\n      exportFileSize: fileSize\n      format\n      rowCount\n      expiresAt\n      template {\n        id\n        name\n      }\n    }\n  }\n"): typeof import('./graphql.js').JobViewFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RowErrorPage on ImportRowErrorConnection {\n    edges {\n      node {\n        rowNumber\n        column\n        message\n        value\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n"): typeof import('./graphql.js').RowErrorPageFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TemplateFields on ImportTemplate {\n    id\n    name\n    decimalSeparator\n    dateOrder\n    keyColumns\n    duplicates\n    columns {\n      key\n      header\n      type\n      required\n      aliases\n      allowedValues\n      min\n      max\n      minLength\n      maxLength\n      pattern\n      unique\n    }\n  }\n"): typeof import('./graphql.js').TemplateFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ChangePage on ImportChangeConnection {\n    edges {\n      node {\n        rowNumber\n        kind\n        key\n        before\n        after\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n"): typeof import('./graphql.js').ChangePageFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ChangeTemplate on ImportTemplate {\n    id\n    columns {\n      key\n      header\n      type\n    }\n    keyColumns\n  }\n"): typeof import('./graphql.js').ChangeTemplateFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($email: String!, $password: String!) {\n    signUp(email: $email, password: $password) {\n      token\n      user {\n        email\n      }\n    }\n  }\n"): typeof import('./graphql.js').SignUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) {\n      token\n      user {\n        email\n      }\n    }\n  }\n"): typeof import('./graphql.js').LogInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogOut {\n    logOut\n  }\n"): typeof import('./graphql.js').LogOutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Templates($first: Int!, $after: String) {\n    importTemplates(first: $first, after: $after) {\n      edges {\n        node {\n          ...TemplateFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql.js').TemplatesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Template($id: ID!) {\n    importTemplate(id: $id) {\n      ...TemplateFields\n    }\n  }\n"): typeof import('./graphql.js').TemplateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql.js').CreateTemplateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateTemplate($id: ID!, $input: UpdateImportTemplateInput!) {\n    updateImportTemplate(id: $id, input: $input) {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql.js').UpdateTemplateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteTemplate($id: ID!) {\n    deleteImportTemplate(id: $id)\n  }\n"): typeof import('./graphql.js').DeleteTemplateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InferTemplate($file: Upload!, $headerRow: Int) {\n    inferImportTemplate(file: $file, headerRow: $headerRow) {\n      sheetName\n      headerRow\n      columns {\n        key\n        header\n        type\n        required\n        aliases\n      }\n      sampleRows\n    }\n  }\n"): typeof import('./graphql.js').InferTemplateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartImport($templateId: ID!, $file: Upload!, $options: ImportOptions) {\n    startImport(templateId: $templateId, file: $file, options: $options) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql.js').StartImportDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryImport($id: ID!, $options: ImportOptions) {\n    retryImport(id: $id, options: $options) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql.js').RetryImportDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateImportMapping($id: ID!, $mapping: [ColumnMappingInput!]!) {\n    updateImportMapping(id: $id, mapping: $mapping) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql.js').UpdateImportMappingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmImport($id: ID!, $rememberMapping: Boolean) {\n    confirmImport(id: $id, rememberMapping: $rememberMapping) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql.js').ConfirmImportDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelImport($id: ID!) {\n    cancelImport(id: $id) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql.js').CancelImportDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelExport($id: ID!) {\n    cancelExport(id: $id) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql.js').CancelExportDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestExport($templateId: ID!, $format: ExportFormat, $importId: ID) {\n    requestExport(templateId: $templateId, format: $format, importId: $importId) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql.js').RequestExportDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription JobStatus($id: ID!) {\n    jobStatus(id: $id) {\n      ...JobView\n    }\n  }\n"): typeof import('./graphql.js').JobStatusDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MyJobs {\n    myJobs {\n      ...JobView\n    }\n  }\n"): typeof import('./graphql.js').MyJobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobResults($id: ID!, $first: Int!, $changes: Int!) {\n    job(id: $id) {\n      ...JobView\n      ... on Import {\n        errorReportUrl\n        errors(first: $first) {\n          ...RowErrorPage\n        }\n        template {\n          ...ChangeTemplate\n        }\n        changes(first: $changes) {\n          ...ChangePage\n        }\n      }\n      ... on Export {\n        downloadUrl\n      }\n    }\n  }\n"): typeof import('./graphql.js').JobResultsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ImportChanges($id: ID!, $first: Int!, $after: String, $kind: ChangeKind) {\n    import(id: $id) {\n      id\n      changes(first: $first, after: $after, kind: $kind) {\n        ...ChangePage\n      }\n    }\n  }\n"): typeof import('./graphql.js').ImportChangesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MoreRowErrors($id: ID!, $first: Int!, $after: String) {\n    import(id: $id) {\n      errors(first: $first, after: $after) {\n        ...RowErrorPage\n      }\n    }\n  }\n"): typeof import('./graphql.js').MoreRowErrorsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ImportReview($id: ID!, $first: Int!, $changes: Int!) {\n    import(id: $id) {\n      id\n      status\n      dryRun\n      errorMessage\n      rowsTotal\n      rowsImported\n      rowsFailed\n      mode\n      rowsCreated\n      rowsUpdated\n      rowsUnchanged\n      rowsDuplicate\n      sourceColumns {\n        index\n        header\n        samples\n        detectedType\n      }\n      mapping {\n        templateKey\n        templateHeader\n        required\n        sourceIndex\n        sourceHeader\n        match\n        score\n      }\n      errors(first: $first) {\n        ...RowErrorPage\n      }\n      template {\n        ...ChangeTemplate\n      }\n      changes(first: $changes) {\n        ...ChangePage\n      }\n    }\n  }\n"): typeof import('./graphql.js').ImportReviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ImportRecords($id: ID!, $first: Int!, $after: String) {\n    import(id: $id) {\n      id\n      status\n      fileName\n      rowsImported\n      template {\n        id\n        name\n        columns {\n          key\n          header\n          type\n        }\n      }\n      records(first: $first, after: $after) {\n        edges {\n          node {\n            id\n            rowNumber\n            data\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').ImportRecordsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyJobList($first: Int!) {\n    imports(first: $first) {\n      edges {\n        node {\n          ...JobView\n        }\n      }\n    }\n    exports(first: $first) {\n      edges {\n        node {\n          ...JobView\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').MyJobListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CompletedImports {\n    imports(first: 100, status: COMPLETED) {\n      edges {\n        node {\n          id\n          fileName\n          createdAt\n          rowsImported\n          template {\n            id\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').CompletedImportsDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
