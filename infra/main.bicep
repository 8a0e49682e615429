// ByokPortal on Azure App Service (Linux, .NET 10): Log Analytics + Application Insights, an App Service plan with at
// least two instances, the web app with a system-assigned managed identity, Azure SQL with Microsoft Entra-only
// authentication, and Key Vault (RBAC, soft delete, purge protection) on which the web app is Key Vault Secrets Officer, with the
// certificate that encrypts the portal's Data Protection key ring.
// Deploy into an existing resource group: see README.md.

targetScope = 'resourceGroup'

metadata description = 'ByokPortal on Azure App Service (Linux, .NET 10) with Azure SQL, Key Vault and Log Analytics.'

// ---------------------------------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------------------------------

@description('Short prefix for resource names: 3-11 lower-case letters, digits or hyphens, starting with a letter.')
@minLength(3)
@maxLength(11)
param namePrefix string

@description('Azure region for every resource.')
param location string = resourceGroup().location

@description('App Service plan SKU (Linux, Premium v3).')
@allowed([
  'P0v3'
  'P1v3'
  'P2v3'
  'P3v3'
  'P1mv3'
  'P2mv3'
])
param appServicePlanSku string = 'P0v3'

@description('Number of web app instances (at least 2; ARR affinity keeps each Blazor Server circuit on its instance).')
@minValue(2)
@maxValue(30)
param instanceCount int = 2

@description('App Service plan SKU of the runtime (src/ByokPortal.Gateway), scaled on its own.')
@allowed([
  'P0v3'
  'P1v3'
  'P2v3'
  'P3v3'
])
param gatewayPlanSku string = 'P0v3'

@description('Fewest runtime instances autoscale keeps.')
@minValue(2)
@maxValue(30)
param gatewayMinInstances int = 2

@description('Most runtime instances autoscale adds.')
@minValue(2)
@maxValue(30)
param gatewayMaxInstances int = 10

@description('Azure SQL database: Serverless (General Purpose serverless Gen5, 0.5-2 vCores) or S0 (Standard, 10 DTU).')
@allowed([
  'Serverless'
  'S0'
])
param databaseSku string = 'Serverless'

@description('Display name of the Microsoft Entra user or group that administers the SQL server (a group is recommended).')
param sqlAdminLogin string

@description('Object ID of that Microsoft Entra user or group.')
param sqlAdminObjectId string

@description('Kind of the SQL administrator principal.')
@allowed([
  'User'
  'Group'
  'Application'
])
param sqlAdminPrincipalType string = 'Group'

@description('Tenant ID of the Entra app registration people sign in with (default: the tenant of this deployment).')
param entraTenantId string = tenant().tenantId

@description('Application (client) ID of the Entra app registration people sign in with.')
param entraClientId string

@description('Name of the Key Vault secret that will hold the app registration client secret (stored after deployment).')
param entraClientSecretName string = 'entra-client-secret'

@description('E-mail / sign-in name (UPN) of the first enterprise owner.')
param bootstrapOwnerEmail string

@description('URL name of the enterprise a new installation creates: lower-case letters, digits and single hyphens.')
param enterpriseSlug string

@description('Display name of that enterprise.')
param enterpriseName string

@description('Apply EF Core migrations when the portal starts (the web app identity then needs db_ddladmin).')
param migrateOnStartup bool = true

@description('Name of the Key Vault certificate that encrypts the Data Protection key ring (created by the deployment if missing).')
param dataProtectionCertificateName string = 'byokportal-key-ring'

@description('Folder for local files of the portal (logs only, with SQL Server and Key Vault). /home is persistent storage.')
param dataDirectory string = '/home/byokportal-data'

@description('How long Log Analytics keeps data, in days.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Extra tags for every resource.')
param tags object = {}

// ---------------------------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------------------------

var prefix = toLower(namePrefix)
var suffix = uniqueString(resourceGroup().id, prefix)

var names = {
  logAnalytics: '${prefix}-logs'
  appInsights: '${prefix}-appi'
  plan: '${prefix}-plan'
  webApp: '${prefix}-web-${suffix}'
  gatewayPlan: '${prefix}-gateway-plan'
  gatewayApp: '${prefix}-gateway-${suffix}'
  sqlServer: '${prefix}-sql-${suffix}'
  database: 'byokportal'
  // At most 24 letters and digits: up to 9 characters of the prefix (hyphens removed), 'kv' and the unique suffix.
  keyVault: '${take(replace(prefix, '-', ''), 9)}kv${suffix}'
}

var defaultTags = {
  application: 'ByokPortal'
}
var allTags = union(defaultTags, tags)

// Built-in role "Key Vault Secrets Officer": get, list, set and delete secrets (the portal stores provider keys).
var keyVaultSecretsOfficerRoleId = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

// Built-in role "Key Vault Secrets User": read secrets only (the runtime reads provider keys, never writes them).
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

// ---------------------------------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------------------------------

module monitoring 'modules/monitoring.bicep' = {
  name: 'byokportal-monitoring'
  params: {
    location: location
    logAnalyticsName: names.logAnalytics
    appInsightsName: names.appInsights
    retentionInDays: logRetentionInDays
    tags: allTags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'byokportal-keyvault'
  params: {
    location: location
    name: names.keyVault
    workspaceId: monitoring.outputs.workspaceId
    tags: allTags
  }
}

module sql 'modules/sql.bicep' = {
  name: 'byokportal-sql'
  params: {
    location: location
    serverName: names.sqlServer
    databaseName: names.database
    databaseSku: databaseSku
    adminLogin: sqlAdminLogin
    adminObjectId: sqlAdminObjectId
    adminPrincipalType: sqlAdminPrincipalType
    workspaceId: monitoring.outputs.workspaceId
    tags: allTags
  }
}

module keyRingCertificate 'modules/keyvault-certificate.bicep' = {
  name: 'byokportal-key-ring-certificate'
  params: {
    location: location
    vaultName: keyVault.outputs.name
    certificateName: dataProtectionCertificateName
    tags: allTags
  }
}

module web 'modules/webapp.bicep' = {
  name: 'byokportal-web'
  params: {
    location: location
    planName: names.plan
    webAppName: names.webApp
    skuName: appServicePlanSku
    instanceCount: instanceCount
    sqlServerFqdn: sql.outputs.serverFqdn
    databaseName: sql.outputs.databaseName
    migrateOnStartup: migrateOnStartup
    vaultUri: keyVault.outputs.uri
    dataProtectionCertificateName: keyRingCertificate.outputs.name
    entraClientSecretName: entraClientSecretName
    entraTenantId: entraTenantId
    entraClientId: entraClientId
    bootstrapOwnerEmail: bootstrapOwnerEmail
    enterpriseSlug: enterpriseSlug
    enterpriseName: enterpriseName
    dataDirectory: dataDirectory
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    workspaceId: monitoring.outputs.workspaceId
    tags: allTags
  }
}

module webAppVaultAccess 'modules/keyvault-role-assignment.bicep' = {
  name: 'byokportal-web-vault-access'
  params: {
    vaultName: keyVault.outputs.name
    principalId: web.outputs.principalId
    roleDefinitionId: keyVaultSecretsOfficerRoleId
  }
}

module gateway 'modules/gateway.bicep' = {
  name: 'byokportal-gateway'
  params: {
    location: location
    planName: names.gatewayPlan
    appName: names.gatewayApp
    skuName: gatewayPlanSku
    minInstances: gatewayMinInstances
    maxInstances: gatewayMaxInstances
    sqlServerFqdn: sql.outputs.serverFqdn
    databaseName: sql.outputs.databaseName
    vaultUri: keyVault.outputs.uri
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    workspaceId: monitoring.outputs.workspaceId
    tags: allTags
  }
}

module gatewayVaultAccess 'modules/keyvault-role-assignment.bicep' = {
  name: 'byokportal-gateway-vault-access'
  params: {
    vaultName: keyVault.outputs.name
    principalId: gateway.outputs.principalId
    roleDefinitionId: keyVaultSecretsUserRoleId
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------------------------------

@description('URL of the portal.')
output webAppUrl string = 'https://${web.outputs.defaultHostName}'

@description('Redirect URI to register on the Entra app registration.')
output signInRedirectUri string = 'https://${web.outputs.defaultHostName}/signin-oidc'

@description('Web app name (also the database user name to create: CREATE USER [<name>] FROM EXTERNAL PROVIDER).')
output webAppName string = web.outputs.name

@description('Object ID of the system-assigned managed identity of the web app.')
output webAppPrincipalId string = web.outputs.principalId

@description('App Service plan name (for scaling out).')
output appServicePlanName string = web.outputs.planName

@description('URL of the runtime (resolve API and gateway) for applications.')
output gatewayUrl string = 'https://${gateway.outputs.defaultHostName}'

@description('Runtime app name (also the database user name to create, with db_datareader and db_datawriter).')
output gatewayAppName string = gateway.outputs.name

@description('Key Vault name.')
output keyVaultName string = keyVault.outputs.name

@description('Key Vault URI.')
output keyVaultUri string = keyVault.outputs.uri

@description('Fully qualified domain name of the Azure SQL server.')
output sqlServerFqdn string = sql.outputs.serverFqdn

@description('Database name.')
output sqlDatabaseName string = sql.outputs.databaseName
