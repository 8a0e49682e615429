// Azure SQL logical server with Microsoft Entra-only authentication (no SQL logins, no password anywhere),
// the portal database, the "Allow Azure services" firewall rule and diagnostics to Log Analytics.

@description('Azure region.')
param location string

@description('Logical server name: lower-case letters, digits and hyphens, globally unique.')
param serverName string

@description('Database name.')
param databaseName string

@description('Serverless: General Purpose serverless Gen5 (0.5-2 vCores). S0: provisioned Standard S0 (10 DTU).')
@allowed([
  'Serverless'
  'S0'
])
param databaseSku string

@description('Display name of the Microsoft Entra user, group or application that administers the server.')
param adminLogin string

@description('Object ID of that Entra principal.')
param adminObjectId string

@description('Kind of that Entra principal.')
@allowed([
  'User'
  'Group'
  'Application'
])
param adminPrincipalType string

@description('Log Analytics workspace resource ID.')
param workspaceId string

@description('Tags for every resource.')
param tags object

var databaseSkus = {
  Serverless: {
    name: 'GP_S_Gen5'
    tier: 'GeneralPurpose'
    family: 'Gen5'
    capacity: 2
  }
  S0: {
    name: 'S0'
    tier: 'Standard'
  }
}

// The App Service health check queries the database every minute on every instance, so a serverless database would
// never reach an auto-pause delay anyway: auto-pause is switched off (-1) and billing follows the vCores actually used.
var serverlessProperties = {
  autoPauseDelay: -1
  minCapacity: json('0.5')
}

var databaseLogCategories = [
  'Errors'
  'Timeouts'
  'Blocks'
  'Deadlocks'
  'AutomaticTuning'
  'SQLInsights'
]

resource server 'Microsoft.Sql/servers@2023-08-01' = {
  name: serverName
  location: location
  tags: tags
  properties: {
    version: '12.0'
    minimalTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    // Entra-only authentication from creation on: no administratorLogin / administratorLoginPassword.
    administrators: {
      administratorType: 'ActiveDirectory'
      azureADOnlyAuthentication: true
      login: adminLogin
      sid: adminObjectId
      principalType: adminPrincipalType
      tenantId: tenant().tenantId
    }
  }
}

// 0.0.0.0-0.0.0.0 is the special rule "Allow Azure services and resources to access this server" (App Service outbound
// addresses). Every connection still has to authenticate with Microsoft Entra ID.
resource allowAzureServices 'Microsoft.Sql/servers/firewallRules@2023-08-01' = {
  parent: server
  name: 'AllowAllWindowsAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource database 'Microsoft.Sql/servers/databases@2023-08-01' = {
  parent: server
  name: databaseName
  location: location
  tags: tags
  sku: databaseSkus[databaseSku]
  properties: databaseSku == 'Serverless' ? serverlessProperties : {}
}

resource databaseDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: database
  properties: {
    workspaceId: workspaceId
    logs: [for category in databaseLogCategories: {
      category: category
      enabled: true
    }]
    metrics: [
      {
        category: 'Basic'
        enabled: true
      }
    ]
  }
}

output serverName string = server.name
output serverFqdn string = server.properties.fullyQualifiedDomainName
output databaseName string = database.name
