// App Service plan (Linux, Premium v3) and the ByokPortal web app: system-assigned managed identity, HTTPS only,
// TLS 1.2+, FTP(S) off, ARR affinity and WebSockets on (Blazor Server), always on, health check on /healthz,
// and the app settings the portal reads. Diagnostics go to Log Analytics.

@description('Azure region.')
param location string

@description('App Service plan name.')
param planName string

@description('Web app name (globally unique; it is also the first label of the default host name).')
param webAppName string

@description('App Service plan SKU, e.g. P0v3.')
param skuName string

@description('Number of instances.')
@minValue(2)
param instanceCount int

@description('Fully qualified domain name of the Azure SQL server.')
param sqlServerFqdn string

@description('Database name.')
param databaseName string

@description('Apply EF Core migrations when the portal starts.')
param migrateOnStartup bool

@description('Key Vault URI as the vault reports it (ends with a slash).')
param vaultUri string

@description('Name of the Key Vault certificate that encrypts the Data Protection key ring.')
param dataProtectionCertificateName string

@description('Name of the Key Vault secret that holds the Entra app registration client secret.')
param entraClientSecretName string

@description('Tenant ID of the Entra app registration.')
param entraTenantId string

@description('Application (client) ID of the Entra app registration.')
param entraClientId string

@description('E-mail (sign-in name) of the first enterprise owner.')
param bootstrapOwnerEmail string

@description('URL name of the enterprise a new installation creates.')
param enterpriseSlug string

@description('Display name of that enterprise.')
param enterpriseName string

@description('Folder for local files of the portal. With SQL Server and Key Vault nothing important lives there.')
param dataDirectory string

@description('Application Insights connection string.')
param appInsightsConnectionString string

@description('Log Analytics workspace resource ID.')
param workspaceId string

@description('Tags for every resource.')
param tags object

// Resolved by App Service with the web app's managed identity (needs secret read access on the vault).
var entraClientSecretReference = '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${entraClientSecretName})'

var appSettings = [
  {
    name: 'ASPNETCORE_ENVIRONMENT'
    value: 'Production'
  }
  {
    // App Service terminates TLS in front of the app: trust X-Forwarded-For / X-Forwarded-Proto.
    name: 'ASPNETCORE_FORWARDEDHEADERS_ENABLED'
    value: 'true'
  }
  {
    name: 'Portal__DataDirectory'
    value: dataDirectory
  }
  {
    name: 'Portal__Database__Provider'
    value: 'SqlServer'
  }
  {
    name: 'Portal__Database__MigrateOnStartup'
    value: migrateOnStartup ? 'true' : 'false'
  }
  {
    // No password: Microsoft.Data.SqlClient signs in with DefaultAzureCredential, i.e. the managed identity here.
    name: 'ConnectionStrings__Portal'
    value: 'Server=tcp:${sqlServerFqdn},1433;Database=${databaseName};Authentication=Active Directory Default;Encrypt=True;'
  }
  {
    name: 'Portal__Secrets__Provider'
    value: 'KeyVault'
  }
  {
    name: 'Portal__Secrets__VaultUri'
    value: vaultUri
  }
  {
    name: 'Portal__DataProtection__KeyVaultCertificateName'
    value: dataProtectionCertificateName
  }
  {
    name: 'AzureAd__Instance'
    value: environment().authentication.loginEndpoint
  }
  {
    name: 'AzureAd__TenantId'
    value: entraTenantId
  }
  {
    name: 'AzureAd__ClientId'
    value: entraClientId
  }
  {
    name: 'AzureAd__ClientSecret'
    value: entraClientSecretReference
  }
  {
    name: 'AzureAd__CallbackPath'
    value: '/signin-oidc'
  }
  {
    name: 'AzureAd__SignedOutCallbackPath'
    value: '/signout-callback-oidc'
  }
  {
    name: 'Portal__BootstrapOwners__0'
    value: bootstrapOwnerEmail
  }
  {
    name: 'Portal__Enterprise__Slug'
    value: enterpriseSlug
  }
  {
    name: 'Portal__Enterprise__Name'
    value: enterpriseName
  }
  {
    // Platform settings, not read by the portal: Application Insights autoinstrumentation for .NET on Linux.
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: appInsightsConnectionString
  }
  {
    name: 'ApplicationInsightsAgent_EXTENSION_VERSION'
    value: '~3'
  }
]

var siteLogCategories = [
  'AppServiceHTTPLogs'
  'AppServiceConsoleLogs'
  'AppServiceAppLogs'
  'AppServiceAuditLogs'
  'AppServicePlatformLogs'
]

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: skuName
    capacity: instanceCount
  }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2024-11-01' = {
  name: webAppName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // ARR affinity: a Blazor Server circuit lives in one instance's memory, so each browser must keep reaching it.
    clientAffinityEnabled: true
    publicNetworkAccess: 'Enabled'
    siteConfig: {
      linuxFxVersion: 'DOTNETCORE|10.0'
      alwaysOn: true
      webSocketsEnabled: true
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      appSettings: appSettings
    }
  }
}

resource siteDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: workspaceId
    logs: [for category in siteLogCategories: {
      category: category
      enabled: true
    }]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output name string = site.name
output id string = site.id
output defaultHostName string = site.properties.defaultHostName
output principalId string = site.identity.principalId
output planName string = plan.name
