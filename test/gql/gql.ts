/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

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
    "\n  mutation CreateApiKey($name: String!, $expiresAt: DateTime) {\n    createApiKey(name: $name, expiresAt: $expiresAt) {\n      apiKey {\n        id\n        name\n        hint\n        createdAt\n        expiresAt\n        lastUsedAt\n      }\n      secret\n    }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  query ApiKeys($first: Int, $after: String) {\n    apiKeys(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          hint\n          createdAt\n          expiresAt\n          lastUsedAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ApiKeysDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id)\n  }\n": typeof types.RevokeApiKeyDocument,
    "\n  subscription ApiKeyExportStatus($id: ID!) {\n    jobStatus(id: $id) {\n      status\n    }\n  }\n": typeof types.ApiKeyExportStatusDocument,
    "\n  mutation CancelImport($id: ID!) {\n    cancelImport(id: $id) {\n      id\n      status\n      errorMessage\n      backgroundJobId\n      processingCompletedAt\n    }\n  }\n": typeof types.CancelImportDocument,
    "\n  mutation CancelExport($id: ID!) {\n    cancelExport(id: $id) {\n      id\n      status\n      errorMessage\n      backgroundJobId\n      fileName\n      downloadUrl\n    }\n  }\n": typeof types.CancelExportDocument,
    "\n  fragment ExportFields on Export {\n    id\n    status\n    format\n    rowCount\n    fileName\n    fileSize\n    downloadUrl\n    expiresAt\n    errorMessage\n    backgroundJobId\n    attempts\n    processingStartedAt\n    processingCompletedAt\n    template {\n      id\n    }\n  }\n": typeof types.ExportFieldsFragmentDoc,
    "\n  mutation RequestExport($templateId: ID!, $format: ExportFormat, $importId: ID) {\n    requestExport(templateId: $templateId, format: $format, importId: $importId) {\n      ...ExportFields\n    }\n  }\n": typeof types.RequestExportDocument,
    "\n  query GetExport($id: ID!) {\n    export(id: $id) {\n      ...ExportFields\n    }\n  }\n": typeof types.GetExportDocument,
    "\n  query ListExports($first: Int, $after: String, $status: JobStatus) {\n    exports(first: $first, after: $after, status: $status) {\n      edges {\n        node {\n          id\n          status\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ListExportsDocument,
    "\n  query GetExportJob($id: ID!) {\n    job(id: $id) {\n      __typename\n      id\n      status\n      ... on Export {\n        format\n        rowCount\n      }\n    }\n  }\n": typeof types.GetExportJobDocument,
    "\n  query GetErrorReportUrl($id: ID!) {\n    import(id: $id) {\n      id\n      status\n      rowsFailed\n      errorReportUrl\n    }\n  }\n": typeof types.GetErrorReportUrlDocument,
    "\n  subscription WatchExport($id: ID!) {\n    jobStatus(id: $id) {\n      __typename\n      id\n      status\n      ... on Export {\n        rowCount\n        downloadUrl\n      }\n    }\n  }\n": typeof types.WatchExportDocument,
    "\n  mutation InferTemplate($file: Upload!, $sheet: String, $headerRow: Int) {\n    inferImportTemplate(file: $file, sheet: $sheet, headerRow: $headerRow) {\n      sheetName\n      sheets\n      headerRow\n      columns {\n        key\n        header\n        type\n        required\n        aliases\n      }\n      sampleRows\n    }\n  }\n": typeof types.InferTemplateDocument,
    "\n  mutation CreateKeyedTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      id\n      keyColumns\n      duplicates\n    }\n  }\n": typeof types.CreateKeyedTemplateDocument,
    "\n  mutation UpdateKeyedTemplate($id: ID!, $input: UpdateImportTemplateInput!) {\n    updateImportTemplate(id: $id, input: $input) {\n      id\n      keyColumns\n      duplicates\n    }\n  }\n": typeof types.UpdateKeyedTemplateDocument,
    "\n  query GetChanges($id: ID!, $first: Int, $after: String, $kind: ChangeKind) {\n    import(id: $id) {\n      status\n      errorMessage\n      mode\n      rowsTotal\n      rowsImported\n      rowsFailed\n      rowsCreated\n      rowsUpdated\n      rowsUnchanged\n      rowsDuplicate\n      changes(first: $first, after: $after, kind: $kind) {\n        edges {\n          node {\n            rowNumber\n            kind\n            key\n            before\n            after\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n      errors(first: 100) {\n        edges {\n          node {\n            rowNumber\n            column\n            message\n            value\n          }\n        }\n      }\n    }\n  }\n": typeof types.GetChangesDocument,
    "\n  mutation ConfirmKeyed($id: ID!) {\n    confirmImport(id: $id) {\n      id\n    }\n  }\n": typeof types.ConfirmKeyedDocument,
    "\n  mutation SignUp($email: String!, $password: String!) {\n    signUp(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n        createdAt\n      }\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n      }\n    }\n  }\n": typeof types.LogInDocument,
    "\n  mutation LogOut {\n    logOut\n  }\n": typeof types.LogOutDocument,
    "\n  query Me {\n    me {\n      id\n      email\n    }\n  }\n": typeof types.MeDocument,
    "\n  mutation CreateTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      id\n      name\n      columns {\n        key\n        header\n        type\n        required\n      }\n      decimalSeparator\n      dateOrder\n    }\n  }\n": typeof types.CreateTemplateDocument,
    "\n  fragment ImportFields on Import {\n    id\n    status\n    phase\n    fileName\n    fileSize\n    rowsTotal\n    rowsProcessed\n    rowsImported\n    rowsFailed\n    errorMessage\n    backgroundJobId\n    attempts\n    processingStartedAt\n    processingCompletedAt\n    sheetName\n    sheets\n    headerRow\n    encoding\n    delimiter\n    template {\n      id\n    }\n  }\n": typeof types.ImportFieldsFragmentDoc,
    "\n  mutation StartImport($templateId: ID!, $file: Upload!, $options: ImportOptions) {\n    startImport(templateId: $templateId, file: $file, options: $options) {\n      ...ImportFields\n    }\n  }\n": typeof types.StartImportDocument,
    "\n  mutation RetryImport($id: ID!) {\n    retryImport(id: $id) {\n      ...ImportFields\n    }\n  }\n": typeof types.RetryImportDocument,
    "\n  query GetImport($id: ID!, $first: Int, $after: String, $errorsAfter: String) {\n    import(id: $id) {\n      ...ImportFields\n      records(first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            rowNumber\n            data\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n      errors(first: $first, after: $errorsAfter) {\n        edges {\n          node {\n            rowNumber\n            column\n            message\n            value\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.GetImportDocument,
    "\n  query ListImports($first: Int, $after: String, $status: JobStatus) {\n    imports(first: $first, after: $after, status: $status) {\n      edges {\n        cursor\n        node {\n          id\n          status\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ListImportsDocument,
    "\n  query GetJob($id: ID!) {\n    job(id: $id) {\n      __typename\n      id\n      status\n    }\n  }\n": typeof types.GetJobDocument,
    "\n  query Templates($first: Int, $after: String) {\n    importTemplates(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": typeof types.TemplatesDocument,
    "\n  query GetTemplate($id: ID!) {\n    importTemplate(id: $id) {\n      id\n    }\n  }\n": typeof types.GetTemplateDocument,
    "\n  mutation DeleteTemplate($id: ID!) {\n    deleteImportTemplate(id: $id)\n  }\n": typeof types.DeleteTemplateDocument,
    "\n  subscription JobStatus($id: ID!) {\n    jobStatus(id: $id) {\n      __typename\n      id\n      status\n      errorMessage\n      processingStartedAt\n      processingCompletedAt\n      ... on Import {\n        phase\n        rowsProcessed\n        rowsImported\n        rowsFailed\n      }\n    }\n  }\n": typeof types.JobStatusDocument,
    "\n  subscription MyJobs {\n    myJobs {\n      __typename\n      id\n      status\n    }\n  }\n": typeof types.MyJobsDocument,
    "\n  mutation InferInIsolation($file: Upload!) {\n    inferImportTemplate(file: $file) {\n      headerRow\n      columns {\n        key\n        type\n      }\n    }\n  }\n": typeof types.InferInIsolationDocument,
    "\n  mutation CancelRunningImport($id: ID!) {\n    cancelImport(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.CancelRunningImportDocument,
    "\n  mutation MakeNodeTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      id\n    }\n  }\n": typeof types.MakeNodeTemplateDocument,
    "\n  query FindNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Import {\n        fileName\n      }\n      ... on ImportTemplate {\n        name\n      }\n      ... on ImportRecord {\n        rowNumber\n        data\n      }\n    }\n  }\n": typeof types.FindNodeDocument,
    "\n  query FindNodes($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      __typename\n      id\n    }\n  }\n": typeof types.FindNodesDocument,
    "\n  mutation MakeKeyAndHook {\n    createApiKey(name: \"ci\") {\n      apiKey {\n        id\n      }\n    }\n    createWebhook(url: \"http://127.0.0.1:9/hook\", events: [JOB_COMPLETED]) {\n      webhook {\n        id\n      }\n    }\n  }\n": typeof types.MakeKeyAndHookDocument,
    "\n  query Pages($id: ID!, $after: String) {\n    imports(first: 1, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n    import(id: $id) {\n      records(first: 2) {\n        totalCount\n        edges {\n          node {\n            id\n          }\n        }\n      }\n      errors(first: 1) {\n        totalCount\n      }\n      changes(first: 1, kind: CREATED) {\n        totalCount\n      }\n    }\n  }\n": typeof types.PagesDocument,
    "\n  query GetReview($id: ID!) {\n    import(id: $id) {\n      id\n      status\n      phase\n      backgroundJobId\n      dryRun\n      errorMessage\n      rowsTotal\n      rowsImported\n      rowsFailed\n      template {\n        columns {\n          key\n          aliases\n        }\n      }\n      sourceColumns {\n        index\n        header\n        samples\n        detectedType\n      }\n      mapping {\n        templateKey\n        templateHeader\n        required\n        sourceIndex\n        sourceHeader\n        match\n        score\n      }\n      records(first: 100) {\n        edges {\n          node {\n            rowNumber\n            data\n          }\n        }\n      }\n      errors(first: 100) {\n        edges {\n          node {\n            rowNumber\n            column\n            message\n          }\n        }\n      }\n    }\n  }\n": typeof types.GetReviewDocument,
    "\n  mutation CreateAliasedTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      id\n    }\n  }\n": typeof types.CreateAliasedTemplateDocument,
    "\n  mutation UpdateMapping($id: ID!, $mapping: [ColumnMappingInput!]!) {\n    updateImportMapping(id: $id, mapping: $mapping) {\n      id\n      status\n    }\n  }\n": typeof types.UpdateMappingDocument,
    "\n  mutation Confirm($id: ID!, $rememberMapping: Boolean) {\n    confirmImport(id: $id, rememberMapping: $rememberMapping) {\n      id\n      status\n    }\n  }\n": typeof types.ConfirmDocument,
    "\n  mutation RetryWithOptions($id: ID!, $options: ImportOptions) {\n    retryImport(id: $id, options: $options) {\n      id\n      status\n    }\n  }\n": typeof types.RetryWithOptionsDocument,
    "\n  fragment RuleFields on ImportTemplate {\n    id\n    columns {\n      key\n      type\n      allowedValues\n      min\n      max\n      minLength\n      maxLength\n      pattern\n      unique\n    }\n  }\n": typeof types.RuleFieldsFragmentDoc,
    "\n  mutation CreateRuleTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      ...RuleFields\n    }\n  }\n": typeof types.CreateRuleTemplateDocument,
    "\n  mutation UpdateRuleTemplate($id: ID!, $input: UpdateImportTemplateInput!) {\n    updateImportTemplate(id: $id, input: $input) {\n      ...RuleFields\n    }\n  }\n": typeof types.UpdateRuleTemplateDocument,
    "\n  query RuleTemplate($id: ID!) {\n    importTemplate(id: $id) {\n      ...RuleFields\n    }\n  }\n": typeof types.RuleTemplateDocument,
    "\n  fragment TemplateColumnFields on ImportTemplate {\n    id\n    name\n    decimalSeparator\n    dateOrder\n    columns {\n      key\n      header\n      type\n      required\n      aliases\n    }\n  }\n": typeof types.TemplateColumnFieldsFragmentDoc,
    "\n  mutation CreateTemplateWithAliases($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      ...TemplateColumnFields\n    }\n  }\n": typeof types.CreateTemplateWithAliasesDocument,
    "\n  mutation UpdateTemplate($id: ID!, $input: UpdateImportTemplateInput!) {\n    updateImportTemplate(id: $id, input: $input) {\n      ...TemplateColumnFields\n    }\n  }\n": typeof types.UpdateTemplateDocument,
    "\n  query TemplateWithAliases($id: ID!) {\n    importTemplate(id: $id) {\n      ...TemplateColumnFields\n    }\n  }\n": typeof types.TemplateWithAliasesDocument,
    "\n  mutation CreateWebhook($url: String!, $events: [WebhookEvent!]!) {\n    createWebhook(url: $url, events: $events) {\n      secret\n      webhook {\n        id\n        url\n        events\n        createdAt\n        disabledAt\n      }\n    }\n  }\n": typeof types.CreateWebhookDocument,
    "\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n": typeof types.DeleteWebhookDocument,
    "\n  query MyWebhooks {\n    webhooks(first: 50) {\n      totalCount\n      edges {\n        node {\n          id\n          url\n        }\n      }\n    }\n  }\n": typeof types.MyWebhooksDocument,
    "\n  query WebhookDeliveries($id: ID!) {\n    webhook(id: $id) {\n      id\n      disabledAt\n      deliveries(first: 50) {\n        edges {\n          node {\n            id\n            event\n            jobId\n            jobKind\n            status\n            attemptCount\n            lastStatusCode\n            lastError\n            payload\n            createdAt\n            deliveredAt\n            nextAttemptAt\n            attempts {\n              at\n              statusCode\n              error\n              durationMs\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.WebhookDeliveriesDocument,
    "\n  mutation WebhookCancelImport($id: ID!) {\n    cancelImport(id: $id) {\n      status\n    }\n  }\n": typeof types.WebhookCancelImportDocument,
};
const documents: Documents = {
    "\n  mutation CreateApiKey($name: String!, $expiresAt: DateTime) {\n    createApiKey(name: $name, expiresAt: $expiresAt) {\n      apiKey {\n        id\n        name\n        hint\n        createdAt\n        expiresAt\n        lastUsedAt\n      }\n      secret\n    }\n  }\n": types.CreateApiKeyDocument,
    "\n  query ApiKeys($first: Int, $after: String) {\n    apiKeys(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          hint\n          createdAt\n          expiresAt\n          lastUsedAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ApiKeysDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id)\n  }\n": types.RevokeApiKeyDocument,
    "\n  subscription ApiKeyExportStatus($id: ID!) {\n    jobStatus(id: $id) {\n      status\n    }\n  }\n": types.ApiKeyExportStatusDocument,
    "\n  mutation CancelImport($id: ID!) {\n    cancelImport(id: $id) {\n      id\n      status\n      errorMessage\n      backgroundJobId\n      processingCompletedAt\n    }\n  }\n": types.CancelImportDocument,
    "\n  mutation CancelExport($id: ID!) {\n    cancelExport(id: $id) {\n      id\n      status\n      errorMessage\n      backgroundJobId\n      fileName\n      downloadUrl\n    }\n  }\n": types.CancelExportDocument,
    "\n  fragment ExportFields on Export {\n    id\n    status\n    format\n    rowCount\n    fileName\n    fileSize\n    downloadUrl\n    expiresAt\n    errorMessage\n    backgroundJobId\n    attempts\n    processingStartedAt\n    processingCompletedAt\n    template {\n      id\n    }\n  }\n": types.ExportFieldsFragmentDoc,
    "\n  mutation RequestExport($templateId: ID!, $format: ExportFormat, $importId: ID) {\n    requestExport(templateId: $templateId, format: $format, importId: $importId) {\n      ...ExportFields\n    }\n  }\n": types.RequestExportDocument,
    "\n  query GetExport($id: ID!) {\n    export(id: $id) {\n      ...ExportFields\n    }\n  }\n": types.GetExportDocument,
    "\n  query ListExports($first: Int, $after: String, $status: JobStatus) {\n    exports(first: $first, after: $after, status: $status) {\n      edges {\n        node {\n          id\n          status\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ListExportsDocument,
    "\n  query GetExportJob($id: ID!) {\n    job(id: $id) {\n      __typename\n      id\n      status\n      ... on Export {\n        format\n        rowCount\n      }\n    }\n  }\n": types.GetExportJobDocument,
    "\n  query GetErrorReportUrl($id: ID!) {\n    import(id: $id) {\n      id\n      status\n      rowsFailed\n      errorReportUrl\n    }\n  }\n": types.GetErrorReportUrlDocument,
    "\n  subscription WatchExport($id: ID!) {\n    jobStatus(id: $id) {\n      __typename\n      id\n      status\n      ... on Export {\n        rowCount\n        downloadUrl\n      }\n    }\n  }\n": types.WatchExportDocument,
    "\n  mutation InferTemplate($file: Upload!, $sheet: String, $headerRow: Int) {\n    inferImportTemplate(file: $file, sheet: $sheet, headerRow: $headerRow) {\n      sheetName\n      sheets\n      headerRow\n      columns {\n        key\n        header\n        type\n        required\n        aliases\n      }\n      sampleRows\n    }\n  }\n": types.InferTemplateDocument,
    "\n  mutation CreateKeyedTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      id\n      keyColumns\n      duplicates\n    }\n  }\n": types.CreateKeyedTemplateDocument,
    "\n  mutation UpdateKeyedTemplate($id: ID!, $input: UpdateImportTemplateInput!) {\n    updateImportTemplate(id: $id, input: $input) {\n      id\n      keyColumns\n      duplicates\n    }\n  }\n": types.UpdateKeyedTemplateDocument,
    "\n  query GetChanges($id: ID!, $first: Int, $after: String, $kind: ChangeKind) {\n    import(id: $id) {\n      status\n      errorMessage\n      mode\n      rowsTotal\n      rowsImported\n      rowsFailed\n      rowsCreated\n      rowsUpdated\n      rowsUnchanged\n      rowsDuplicate\n      changes(first: $first, after: $after, kind: $kind) {\n        edges {\n          node {\n            rowNumber\n            kind\n            key\n            before\n            after\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n      errors(first: 100) {\n        edges {\n          node {\n            rowNumber\n            column\n            message\n            value\n          }\n        }\n      }\n    }\n  }\n": types.GetChangesDocument,
    "\n  mutation ConfirmKeyed($id: ID!) {\n    confirmImport(id: $id) {\n      id\n    }\n  }\n": types.ConfirmKeyedDocument,
    "\n  mutation SignUp($email: String!, $password: String!) {\n    signUp(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n        createdAt\n      }\n    }\n  }\n": types.SignUpDocument,
    "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n      }\n    }\n  }\n": types.LogInDocument,
    "\n  mutation LogOut {\n    logOut\n  }\n": types.LogOutDocument,
    "\n  query Me {\n    me {\n      id\n      email\n    }\n  }\n": types.MeDocument,
    "\n  mutation CreateTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      id\n      name\n      columns {\n        key\n        header\n        type\n        required\n      }\n      decimalSeparator\n      dateOrder\n    }\n  }\n": types.CreateTemplateDocument,
    "\n  fragment ImportFields on Import {\n    id\n    status\n    phase\n    fileName\n    fileSize\n    rowsTotal\n    rowsProcessed\n    rowsImported\n    rowsFailed\n    errorMessage\n    backgroundJobId\n    attempts\n    processingStartedAt\n    processingCompletedAt\n    sheetName\n    sheets\n    headerRow\n    encoding\n    delimiter\n    template {\n      id\n    }\n  }\n": types.ImportFieldsFragmentDoc,
    "\n  mutation StartImport($templateId: ID!, $file: Upload!, $options: ImportOptions) {\n    startImport(templateId: $templateId, file: $file, options: $options) {\n      ...ImportFields\n    }\n  }\n": types.StartImportDocument,
    "\n  mutation RetryImport($id: ID!) {\n    retryImport(id: $id) {\n      ...ImportFields\n    }\n  }\n": types.RetryImportDocument,
    "\n  query GetImport($id: ID!, $first: Int, $after: String, $errorsAfter: String) {\n    import(id: $id) {\n      ...ImportFields\n      records(first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            rowNumber\n            data\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n      errors(first: $first, after: $errorsAfter) {\n        edges {\n          node {\n            rowNumber\n            column\n            message\n            value\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.GetImportDocument,
    "\n  query ListImports($first: Int, $after: String, $status: JobStatus) {\n    imports(first: $first, after: $after, status: $status) {\n      edges {\n        cursor\n        node {\n          id\n          status\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ListImportsDocument,
    "\n  query GetJob($id: ID!) {\n    job(id: $id) {\n      __typename\n      id\n      status\n    }\n  }\n": types.GetJobDocument,
    "\n  query Templates($first: Int, $after: String) {\n    importTemplates(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": types.TemplatesDocument,
    "\n  query GetTemplate($id: ID!) {\n    importTemplate(id: $id) {\n      id\n    }\n  }\n": types.GetTemplateDocument,
    "\n  mutation DeleteTemplate($id: ID!) {\n    deleteImportTemplate(id: $id)\n  }\n": types.DeleteTemplateDocument,
    "\n  subscription JobStatus($id: ID!) {\n    jobStatus(id: $id) {\n      __typename\n      id\n      status\n      errorMessage\n      processingStartedAt\n      processingCompletedAt\n      ... on Import {\n        phase\n        rowsProcessed\n        rowsImported\n        rowsFailed\n      }\n    }\n  }\n": types.JobStatusDocument,
    "\n  subscription MyJobs {\n    myJobs {\n      __typename\n      id\n      status\n    }\n  }\n": types.MyJobsDocument,
    "\n  mutation InferInIsolation($file: Upload!) {\n    inferImportTemplate(file: $file) {\n      headerRow\n      columns {\n        key\n        type\n      }\n    }\n  }\n": types.InferInIsolationDocument,
    "\n  mutation CancelRunningImport($id: ID!) {\n    cancelImport(id: $id) {\n      id\n      status\n    }\n  }\n": types.CancelRunningImportDocument,
    "\n  mutation MakeNodeTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      id\n    }\n  }\n": types.MakeNodeTemplateDocument,
    "\n  query FindNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Import {\n        fileName\n      }\n      ... on ImportTemplate {\n        name\n      }\n      ... on ImportRecord {\n        rowNumber\n        data\n      }\n    }\n  }\n": types.FindNodeDocument,
    "\n  query FindNodes($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      __typename\n      id\n    }\n  }\n": types.FindNodesDocument,
    "\n  mutation MakeKeyAndHook {\n    createApiKey(name: \"ci\") {\n      apiKey {\n        id\n      }\n    }\n    createWebhook(url: \"http://127.0.0.1:9/hook\", events: [JOB_COMPLETED]) {\n      webhook {\n        id\n      }\n    }\n  }\n": types.MakeKeyAndHookDocument,
    "\n  query Pages($id: ID!, $after: String) {\n    imports(first: 1, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n    import(id: $id) {\n      records(first: 2) {\n        totalCount\n        edges {\n          node {\n            id\n          }\n        }\n      }\n      errors(first: 1) {\n        totalCount\n      }\n      changes(first: 1, kind: CREATED) {\n        totalCount\n      }\n    }\n  }\n": types.PagesDocument,
    "\n  query GetReview($id: ID!) {\n    import(id: $id) {\n      id\n      status\n      phase\n      backgroundJobId\n      dryRun\n      errorMessage\n      rowsTotal\n      rowsImported\n      rowsFailed\n      template {\n        columns {\n          key\n          aliases\n        }\n      }\n      sourceColumns {\n        index\n        header\n        samples\n        detectedType\n      }\n      mapping {\n        templateKey\n        templateHeader\n        required\n        sourceIndex\n        sourceHeader\n        match\n        score\n      }\n      records(first: 100) {\n        edges {\n          node {\n            rowNumber\n            data\n          }\n        }\n      }\n      errors(first: 100) {\n        edges {\n          node {\n            rowNumber\n            column\n            message\n          }\n        }\n      }\n    }\n  }\n": types.GetReviewDocument,
    "\n  mutation CreateAliasedTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      id\n    }\n  }\n": types.CreateAliasedTemplateDocument,
    "\n  mutation UpdateMapping($id: ID!, $mapping: [ColumnMappingInput!]!) {\n    updateImportMapping(id: $id, mapping: $mapping) {\n      id\n      status\n    }\n  }\n": types.UpdateMappingDocument,
    "\n  mutation Confirm($id: ID!, $rememberMapping: Boolean) {\n    confirmImport(id: $id, rememberMapping: $rememberMapping) {\n      id\n      status\n    }\n  }\n": types.ConfirmDocument,
    "\n  mutation RetryWithOptions($id: ID!, $options: ImportOptions) {\n    retryImport(id: $id, options: $options) {\n      id\n      status\n    }\n  }\n": types.RetryWithOptionsDocument,
    "\n  fragment RuleFields on ImportTemplate {\n    id\n    columns {\n      key\n      type\n      allowedValues\n      min\n      max\n      minLength\n      maxLength\n      pattern\n      unique\n    }\n  }\n": types.RuleFieldsFragmentDoc,
    "\n  mutation CreateRuleTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      ...RuleFields\n    }\n  }\n": types.CreateRuleTemplateDocument,
    "\n  mutation UpdateRuleTemplate($id: ID!, $input: UpdateImportTemplateInput!) {\n    updateImportTemplate(id: $id, input: $input) {\n      ...RuleFields\n    }\n  }\n": types.UpdateRuleTemplateDocument,
    "\n  query RuleTemplate($id: ID!) {\n    importTemplate(id: $id) {\n      ...RuleFields\n    }\n  }\n": types.RuleTemplateDocument,
    "\n  fragment TemplateColumnFields on ImportTemplate {\n    id\n    name\n    decimalSeparator\n    dateOrder\n    columns {\n      key\n      header\n      type\n      required\n      aliases\n    }\n  }\n": types.TemplateColumnFieldsFragmentDoc,
    "\n  mutation CreateTemplateWithAliases($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      ...TemplateColumnFields\n    }\n  }\n": types.CreateTemplateWithAliasesDocument,
    "\n  mutation UpdateTemplate($id: ID!, $input: UpdateImportTemplateInput!) {\n    updateImportTemplate(id: $id, input: $input) {\n      ...TemplateColumnFields\n    }\n  }\n": types.UpdateTemplateDocument,
    "\n  query TemplateWithAliases($id: ID!) {\n    importTemplate(id: $id) {\n      ...TemplateColumnFields\n    }\n  }\n": types.TemplateWithAliasesDocument,
    "\n  mutation CreateWebhook($url: String!, $events: [WebhookEvent!]!) {\n    createWebhook(url: $url, events: $events) {\n      secret\n      webhook {\n        id\n        url\n        events\n        createdAt\n        disabledAt\n      }\n    }\n  }\n": types.CreateWebhookDocument,
    "\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n": types.DeleteWebhookDocument,
    "\n  query MyWebhooks {\n    webhooks(first: 50) {\n      totalCount\n      edges {\n        node {\n          id\n          url\n        }\n      }\n    }\n  }\n": types.MyWebhooksDocument,
    "\n  query WebhookDeliveries($id: ID!) {\n    webhook(id: $id) {\n      id\n      disabledAt\n      deliveries(first: 50) {\n        edges {\n          node {\n            id\n            event\n            jobId\n            jobKind\n            status\n            attemptCount\n            lastStatusCode\n            lastError\n            payload\n            createdAt\n            deliveredAt\n            nextAttemptAt\n            attempts {\n              at\n              statusCode\n              error\n              durationMs\n            }\n          }\n        }\n      }\n    }\n  }\n": types.WebhookDeliveriesDocument,
    "\n  mutation WebhookCancelImport($id: ID!) {\n    cancelImport(id: $id) {\n      status\n    }\n  }\n": types.WebhookCancelImportDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($name: String!, $expiresAt: DateTime) {\n    createApiKey(name: $name, expiresAt: $expiresAt) {\n      apiKey {\n        id\n        name\n        hint\n        createdAt\n        expiresAt\n        lastUsedAt\n      }\n      secret\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiKey($name: String!, $expiresAt: DateTime) {\n    createApiKey(name: $name, expiresAt: $expiresAt) {\n      apiKey {\n        id\n        name\n        hint\n        createdAt\n        expiresAt\n        lastUsedAt\n      }\n      secret\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeys($first: Int, $after: String) {\n    apiKeys(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          hint\n          createdAt\n          expiresAt\n          lastUsedAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query ApiKeys($first: Int, $after: String) {\n    apiKeys(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          hint\n          createdAt\n          expiresAt\n          lastUsedAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id)\n  }\n"): (typeof documents)["\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ApiKeyExportStatus($id: ID!) {\n    jobStatus(id: $id) {\n      status\n    }\n  }\n"): (typeof documents)["\n  subscription ApiKeyExportStatus($id: ID!) {\n    jobStatus(id: $id) {\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelImport($id: ID!) {\n    cancelImport(id: $id) {\n      id\n      status\n      errorMessage\n      backgroundJobId\n      processingCompletedAt\n    }\n  }\n"): (typeof documents)["\n  mutation CancelImport($id: ID!) {\n    cancelImport(id: $id) {\n      id\n      status\n      errorMessage\n      backgroundJobId\n      processingCompletedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelExport($id: ID!) {\n    cancelExport(id: $id) {\n      id\n      status\n      errorMessage\n      backgroundJobId\n      fileName\n      downloadUrl\n    }\n  }\n"): (typeof documents)["\n  mutation CancelExport($id: ID!) {\n    cancelExport(id: $id) {\n      id\n      status\n      errorMessage\n      backgroundJobId\n      fileName\n      downloadUrl\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ExportFields on Export {\n    id\n    status\n    format\n    rowCount\n    fileName\n    fileSize\n    downloadUrl\n    expiresAt\n    errorMessage\n    backgroundJobId\n    attempts\n    processingStartedAt\n    processingCompletedAt\n    template {\n      id\n    }\n  }\n"): (typeof documents)["\n  fragment ExportFields on Export {\n    id\n    status\n    format\n    rowCount\n    fileName\n    fileSize\n    downloadUrl\n    expiresAt\n    errorMessage\n    backgroundJobId\n    attempts\n    processingStartedAt\n    processingCompletedAt\n    template {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestExport($templateId: ID!, $format: ExportFormat, $importId: ID) {\n    requestExport(templateId: $templateId, format: $format, importId: $importId) {\n      ...ExportFields\n    }\n  }\n"): (typeof documents)["\n  mutation RequestExport($templateId: ID!, $format: ExportFormat, $importId: ID) {\n    requestExport(templateId: $templateId, format: $format, importId: $importId) {\n      ...ExportFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetExport($id: ID!) {\n    export(id: $id) {\n      ...ExportFields\n    }\n  }\n"): (typeof documents)["\n  query GetExport($id: ID!) {\n    export(id: $id) {\n      ...ExportFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListExports($first: Int, $after: String, $status: JobStatus) {\n    exports(first: $first, after: $after, status: $status) {\n      edges {\n        node {\n          id\n          status\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query ListExports($first: Int, $after: String, $status: JobStatus) {\n    exports(first: $first, after: $after, status: $status) {\n      edges {\n        node {\n          id\n          status\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetExportJob($id: ID!) {\n    job(id: $id) {\n      __typename\n      id\n      status\n      ... on Export {\n        format\n        rowCount\n      }\n    }\n  }\n"): (typeof documents)["\n  query GetExportJob($id: ID!) {\n    job(id: $id) {\n      __typename\n      id\n      status\n      ... on Export {\n        format\n        rowCount\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetErrorReportUrl($id: ID!) {\n    import(id: $id) {\n      id\n      status\n      rowsFailed\n      errorReportUrl\n    }\n  }\n"): (typeof documents)["\n  query GetErrorReportUrl($id: ID!) {\n    import(id: $id) {\n      id\n      status\n      rowsFailed\n      errorReportUrl\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WatchExport($id: ID!) {\n    jobStatus(id: $id) {\n      __typename\n      id\n      status\n      ... on Export {\n        rowCount\n        downloadUrl\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription WatchExport($id: ID!) {\n    jobStatus(id: $id) {\n      __typename\n      id\n      status\n      ... on Export {\n        rowCount\n        downloadUrl\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InferTemplate($file: Upload!, $sheet: String, $headerRow: Int) {\n    inferImportTemplate(file: $file, sheet: $sheet, headerRow: $headerRow) {\n      sheetName\n      sheets\n      headerRow\n      columns {\n        key\n        header\n        type\n        required\n        aliases\n      }\n      sampleRows\n    }\n  }\n"): (typeof documents)["\n  mutation InferTemplate($file: Upload!, $sheet: String, $headerRow: Int) {\n    inferImportTemplate(file: $file, sheet: $sheet, headerRow: $headerRow) {\n      sheetName\n      sheets\n      headerRow\n      columns {\n        key\n        header\n        type\n        required\n        aliases\n      }\n      sampleRows\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateKeyedTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      id\n      keyColumns\n      duplicates\n    }\n  }\n"): (typeof documents)["\n  mutation CreateKeyedTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      id\n      keyColumns\n      duplicates\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateKeyedTemplate($id: ID!, $input: UpdateImportTemplateInput!) {\n    updateImportTemplate(id: $id, input: $input) {\n      id\n      keyColumns\n      duplicates\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateKeyedTemplate($id: ID!, $input: UpdateImportTemplateInput!) {\n    updateImportTemplate(id: $id, input: $input) {\n      id\n      keyColumns\n      duplicates\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetChanges($id: ID!, $first: Int, $after: String, $kind: ChangeKind) {\n    import(id: $id) {\n      status\n      errorMessage\n      mode\n      rowsTotal\n      rowsImported\n      rowsFailed\n      rowsCreated\n      rowsUpdated\n      rowsUnchanged\n      rowsDuplicate\n      changes(first: $first, after: $after, kind: $kind) {\n        edges {\n          node {\n            rowNumber\n            kind\n            key\n            before\n            after\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n      errors(first: 100) {\n        edges {\n          node {\n            rowNumber\n            column\n            message\n            value\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query GetChanges($id: ID!, $first: Int, $after: String, $kind: ChangeKind) {\n    import(id: $id) {\n      status\n      errorMessage\n      mode\n      rowsTotal\n      rowsImported\n      rowsFailed\n      rowsCreated\n      rowsUpdated\n      rowsUnchanged\n      rowsDuplicate\n      changes(first: $first, after: $after, kind: $kind) {\n        edges {\n          node {\n            rowNumber\n            kind\n            key\n            before\n            after\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n      errors(first: 100) {\n        edges {\n          node {\n            rowNumber\n            column\n            message\n            value\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmKeyed($id: ID!) {\n    confirmImport(id: $id) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation ConfirmKeyed($id: ID!) {\n    confirmImport(id: $id) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($email: String!, $password: String!) {\n    signUp(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n        createdAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($email: String!, $password: String!) {\n    signUp(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n        createdAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation LogIn($email: String!, $password: String!) {\n    logIn(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogOut {\n    logOut\n  }\n"): (typeof documents)["\n  mutation LogOut {\n    logOut\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      email\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      id\n      name\n      columns {\n        key\n        header\n        type\n        required\n      }\n      decimalSeparator\n      dateOrder\n    }\n  }\n"): (typeof documents)["\n  mutation CreateTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      id\n      name\n      columns {\n        key\n        header\n        type\n        required\n      }\n      decimalSeparator\n      dateOrder\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ImportFields on Import {\n    id\n    status\n    phase\n    fileName\n    fileSize\n    rowsTotal\n    rowsProcessed\n    rowsImported\n    rowsFailed\n    errorMessage\n    backgroundJobId\n    attempts\n    processingStartedAt\n    processingCompletedAt\n    sheetName\n    sheets\n    headerRow\n    encoding\n    delimiter\n    template {\n      id\n    }\n  }\n"): (typeof documents)["\n  fragment ImportFields on Import {\n    id\n    status\n    phase\n    fileName\n    fileSize\n    rowsTotal\n    rowsProcessed\n    rowsImported\n    rowsFailed\n    errorMessage\n    backgroundJobId\n    attempts\n    processingStartedAt\n    processingCompletedAt\n    sheetName\n    sheets\n    headerRow\n    encoding\n    delimiter\n    template {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartImport($templateId: ID!, $file: Upload!, $options: ImportOptions) {\n    startImport(templateId: $templateId, file: $file, options: $options) {\n      ...ImportFields\n    }\n  }\n"): (typeof documents)["\n  mutation StartImport($templateId: ID!, $file: Upload!, $options: ImportOptions) {\n    startImport(templateId: $templateId, file: $file, options: $options) {\n      ...ImportFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryImport($id: ID!) {\n    retryImport(id: $id) {\n      ...ImportFields\n    }\n  }\n"): (typeof documents)["\n  mutation RetryImport($id: ID!) {\n    retryImport(id: $id) {\n      ...ImportFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetImport($id: ID!, $first: Int, $after: String, $errorsAfter: String) {\n    import(id: $id) {\n      ...ImportFields\n      records(first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            rowNumber\n            data\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n      errors(first: $first, after: $errorsAfter) {\n        edges {\n          node {\n            rowNumber\n            column\n            message\n            value\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query GetImport($id: ID!, $first: Int, $after: String, $errorsAfter: String) {\n    import(id: $id) {\n      ...ImportFields\n      records(first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            rowNumber\n            data\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n      errors(first: $first, after: $errorsAfter) {\n        edges {\n          node {\n            rowNumber\n            column\n            message\n            value\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListImports($first: Int, $after: String, $status: JobStatus) {\n    imports(first: $first, after: $after, status: $status) {\n      edges {\n        cursor\n        node {\n          id\n          status\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query ListImports($first: Int, $after: String, $status: JobStatus) {\n    imports(first: $first, after: $after, status: $status) {\n      edges {\n        cursor\n        node {\n          id\n          status\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetJob($id: ID!) {\n    job(id: $id) {\n      __typename\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  query GetJob($id: ID!) {\n    job(id: $id) {\n      __typename\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Templates($first: Int, $after: String) {\n    importTemplates(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Templates($first: Int, $after: String) {\n    importTemplates(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetTemplate($id: ID!) {\n    importTemplate(id: $id) {\n      id\n    }\n  }\n"): (typeof documents)["\n  query GetTemplate($id: ID!) {\n    importTemplate(id: $id) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteTemplate($id: ID!) {\n    deleteImportTemplate(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteTemplate($id: ID!) {\n    deleteImportTemplate(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription JobStatus($id: ID!) {\n    jobStatus(id: $id) {\n      __typename\n      id\n      status\n      errorMessage\n      processingStartedAt\n      processingCompletedAt\n      ... on Import {\n        phase\n        rowsProcessed\n        rowsImported\n        rowsFailed\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription JobStatus($id: ID!) {\n    jobStatus(id: $id) {\n      __typename\n      id\n      status\n      errorMessage\n      processingStartedAt\n      processingCompletedAt\n      ... on Import {\n        phase\n        rowsProcessed\n        rowsImported\n        rowsFailed\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MyJobs {\n    myJobs {\n      __typename\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  subscription MyJobs {\n    myJobs {\n      __typename\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InferInIsolation($file: Upload!) {\n    inferImportTemplate(file: $file) {\n      headerRow\n      columns {\n        key\n        type\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation InferInIsolation($file: Upload!) {\n    inferImportTemplate(file: $file) {\n      headerRow\n      columns {\n        key\n        type\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelRunningImport($id: ID!) {\n    cancelImport(id: $id) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation CancelRunningImport($id: ID!) {\n    cancelImport(id: $id) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MakeNodeTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation MakeNodeTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FindNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Import {\n        fileName\n      }\n      ... on ImportTemplate {\n        name\n      }\n      ... on ImportRecord {\n        rowNumber\n        data\n      }\n    }\n  }\n"): (typeof documents)["\n  query FindNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Import {\n        fileName\n      }\n      ... on ImportTemplate {\n        name\n      }\n      ... on ImportRecord {\n        rowNumber\n        data\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FindNodes($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      __typename\n      id\n    }\n  }\n"): (typeof documents)["\n  query FindNodes($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      __typename\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MakeKeyAndHook {\n    createApiKey(name: \"ci\") {\n      apiKey {\n        id\n      }\n    }\n    createWebhook(url: \"http://127.0.0.1:9/hook\", events: [JOB_COMPLETED]) {\n      webhook {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation MakeKeyAndHook {\n    createApiKey(name: \"ci\") {\n      apiKey {\n        id\n      }\n    }\n    createWebhook(url: \"http://127.0.0.1:9/hook\", events: [JOB_COMPLETED]) {\n      webhook {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Pages($id: ID!, $after: String) {\n    imports(first: 1, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n    import(id: $id) {\n      records(first: 2) {\n        totalCount\n        edges {\n          node {\n            id\n          }\n        }\n      }\n      errors(first: 1) {\n        totalCount\n      }\n      changes(first: 1, kind: CREATED) {\n        totalCount\n      }\n    }\n  }\n"): (typeof documents)["\n  query Pages($id: ID!, $after: String) {\n    imports(first: 1, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n    import(id: $id) {\n      records(first: 2) {\n        totalCount\n        edges {\n          node {\n            id\n          }\n        }\n      }\n      errors(first: 1) {\n        totalCount\n      }\n      changes(first: 1, kind: CREATED) {\n        totalCount\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetReview($id: ID!) {\n    import(id: $id) {\n      id\n      status\n      phase\n      backgroundJobId\n      dryRun\n      errorMessage\n      rowsTotal\n      rowsImported\n      rowsFailed\n      template {\n        columns {\n          key\n          aliases\n        }\n      }\n      sourceColumns {\n        index\n        header\n        samples\n        detectedType\n      }\n      mapping {\n        templateKey\n        templateHeader\n        required\n        sourceIndex\n        sourceHeader\n        match\n        score\n      }\n      records(first: 100) {\n        edges {\n          node {\n            rowNumber\n            data\n          }\n        }\n      }\n      errors(first: 100) {\n        edges {\n          node {\n            rowNumber\n            column\n            message\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query GetReview($id: ID!) {\n    import(id: $id) {\n      id\n      status\n      phase\n      backgroundJobId\n      dryRun\n      errorMessage\n      rowsTotal\n      rowsImported\n      rowsFailed\n      template {\n        columns {\n          key\n          aliases\n        }\n      }\n      sourceColumns {\n        index\n        header\n        samples\n        detectedType\n      }\n      mapping {\n        templateKey\n        templateHeader\n        required\n        sourceIndex\n        sourceHeader\n        match\n        score\n      }\n      records(first: 100) {\n        edges {\n          node {\n            rowNumber\n            data\n          }\n        }\n      }\n      errors(first: 100) {\n        edges {\n          node {\n            rowNumber\n            column\n            message\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateAliasedTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreateAliasedTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateMapping($id: ID!, $mapping: [ColumnMappingInput!]!) {\n    updateImportMapping(id: $id, mapping: $mapping) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateMapping($id: ID!, $mapping: [ColumnMappingInput!]!) {\n    updateImportMapping(id: $id, mapping: $mapping) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Confirm($id: ID!, $rememberMapping: Boolean) {\n    confirmImport(id: $id, rememberMapping: $rememberMapping) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation Confirm($id: ID!, $rememberMapping: Boolean) {\n    confirmImport(id: $id, rememberMapping: $rememberMapping) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryWithOptions($id: ID!, $options: ImportOptions) {\n    retryImport(id: $id, options: $options) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation RetryWithOptions($id: ID!, $options: ImportOptions) {\n    retryImport(id: $id, options: $options) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RuleFields on ImportTemplate {\n    id\n    columns {\n      key\n      type\n      allowedValues\n      min\n      max\n      minLength\n      maxLength\n      pattern\n      unique\n    }\n  }\n"): (typeof documents)["\n  fragment RuleFields on ImportTemplate {\n    id\n    columns {\n      key\n      type\n      allowedValues\n      min\n      max\n      minLength\n      maxLength\n      pattern\n      unique\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateRuleTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      ...RuleFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateRuleTemplate($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      ...RuleFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateRuleTemplate($id: ID!, $input: UpdateImportTemplateInput!) {\n    updateImportTemplate(id: $id, input: $input) {\n      ...RuleFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateRuleTemplate($id: ID!, $input: UpdateImportTemplateInput!) {\n    updateImportTemplate(id: $id, input: $input) {\n      ...RuleFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RuleTemplate($id: ID!) {\n    importTemplate(id: $id) {\n      ...RuleFields\n    }\n  }\n"): (typeof documents)["\n  query RuleTemplate($id: ID!) {\n    importTemplate(id: $id) {\n      ...RuleFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TemplateColumnFields on ImportTemplate {\n    id\n    name\n    decimalSeparator\n    dateOrder\n    columns {\n      key\n      header\n      type\n      required\n      aliases\n    }\n  }\n"): (typeof documents)["\n  fragment TemplateColumnFields on ImportTemplate {\n    id\n    name\n    decimalSeparator\n    dateOrder\n    columns {\n      key\n      header\n      type\n      required\n      aliases\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateTemplateWithAliases($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      ...TemplateColumnFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateTemplateWithAliases($input: CreateImportTemplateInput!) {\n    createImportTemplate(input: $input) {\n      ...TemplateColumnFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateTemplate($id: ID!, $input: UpdateImportTemplateInput!) {\n    updateImportTemplate(id: $id, input: $input) {\n      ...TemplateColumnFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateTemplate($id: ID!, $input: UpdateImportTemplateInput!) {\n    updateImportTemplate(id: $id, input: $input) {\n      ...TemplateColumnFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TemplateWithAliases($id: ID!) {\n    importTemplate(id: $id) {\n      ...TemplateColumnFields\n    }\n  }\n"): (typeof documents)["\n  query TemplateWithAliases($id: ID!) {\n    importTemplate(id: $id) {\n      ...TemplateColumnFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateWebhook($url: String!, $events: [WebhookEvent!]!) {\n    createWebhook(url: $url, events: $events) {\n      secret\n      webhook {\n        id\n        url\n        events\n        createdAt\n        disabledAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateWebhook($url: String!, $events: [WebhookEvent!]!) {\n    createWebhook(url: $url, events: $events) {\n      secret\n      webhook {\n        id\n        url\n        events\n        createdAt\n        disabledAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyWebhooks {\n    webhooks(first: 50) {\n      totalCount\n      edges {\n        node {\n          id\n          url\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyWebhooks {\n    webhooks(first: 50) {\n      totalCount\n      edges {\n        node {\n          id\n          url\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookDeliveries($id: ID!) {\n    webhook(id: $id) {\n      id\n      disabledAt\n      deliveries(first: 50) {\n        edges {\n          node {\n            id\n            event\n            jobId\n            jobKind\n            status\n            attemptCount\n            lastStatusCode\n            lastError\n            payload\n            createdAt\n            deliveredAt\n            nextAttemptAt\n            attempts {\n              at\n              statusCode\n              error\n              durationMs\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WebhookDeliveries($id: ID!) {\n    webhook(id: $id) {\n      id\n      disabledAt\n      deliveries(first: 50) {\n        edges {\n          node {\n            id\n            event\n            jobId\n            jobKind\n            status\n            attemptCount\n            lastStatusCode\n            lastError\n            payload\n            createdAt\n            deliveredAt\n            nextAttemptAt\n            attempts {\n              at\n              statusCode\n              error\n              durationMs\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebhookCancelImport($id: ID!) {\n    cancelImport(id: $id) {\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation WebhookCancelImport($id: ID!) {\n    cancelImport(id: $id) {\n      status\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;