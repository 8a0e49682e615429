// The runtime's own App Service plan and app (src/ByokPortal.Gateway: resolve API and gateway, no pages), scaled on its own by CPU:
// system-assigned managed identity, HTTPS only, TLS 1.2+, no ARR affinity (requests are stateless), health check on /healthz. It shares
// the portal's database and Key Vault and never migrates the schema. Diagnostics go to Log Analytics.

@description('Azure region.')
param location string

@description('App Service plan name of the runtime.')
param planName string

@description('Runtime app name (globally unique).')
param appName string

@description('App Service plan SKU, e.g. P0v3.')
param skuName string

@description('Fewest instances autoscale keeps.')
@minValue(2)
param minInstances int

@description('Most instances autoscale adds.')
@minValue(2)
param maxInstances int

@description('Fully qualified domain name of the Azure SQL server.')
param sqlServerFqdn string

@description('Database name.')
param databaseName string

@description('Key Vault URI as the vault reports it (ends with a slash).')
param vaultUri string

@description('Application Insights connection string.')
param appInsightsConnectionString string

@description('Log Analytics workspace resource ID.')
param workspaceId string

@description('Tags for every resource.')
param tags object

var appSettings = [
  {
    name: 'ASPNETCORE_ENVIRONMENT'
    value: 'Production'
  }
  {
    name: 'ASPNETCORE_FORWARDEDHEADERS_ENABLED'
    value: 'true'
  }
  {
    name: 'Portal__Database__Provider'
    value: 'SqlServer'
  }
  {
    // The portal owns the schema; the runtime only reads policy and writes usage rows.
    name: 'Portal__Database__MigrateOnStartup'
    value: 'false'
  }
  {
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
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: appInsightsConnectionString
  }
  {
    name: 'ApplicationInsightsAgent_EXTENSION_VERSION'
    value: '~3'
  }
]

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: skuName
    capacity: minInstances
  }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2024-11-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    publicNetworkAccess: 'Enabled'
    siteConfig: {
      linuxFxVersion: 'DOTNETCORE|10.0'
      appCommandLine: 'dotnet ByokPortal.Gateway.dll'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      appSettings: appSettings
    }
  }
}

// Scale out when the runtime's instances are busy, back in when they are idle.
resource autoscale 'Microsoft.Insights/autoscalesettings@2022-10-01' = {
  name: '${planName}-autoscale'
  location: location
  tags: tags
  properties: {
    enabled: true
    targetResourceUri: plan.id
    profiles: [
      {
        name: 'cpu'
        capacity: {
          minimum: string(minInstances)
          maximum: string(maxInstances)
          default: string(minInstances)
        }
        rules: [
          {
            metricTrigger: {
              metricName: 'CpuPercentage'
              metricResourceUri: plan.id
              timeGrain: 'PT1M'
              statistic: 'Average'
              timeWindow: 'PT5M'
              timeAggregation: 'Average'
              operator: 'GreaterThan'
              threshold: 65
            }
            scaleAction: {
              direction: 'Increase'
              type: 'ChangeCount'
              value: '1'
              cooldown: 'PT5M'
            }
          }
          {
            metricTrigger: {
              metricName: 'CpuPercentage'
              metricResourceUri: plan.id
              timeGrain: 'PT1M'
              statistic: 'Average'
              timeWindow: 'PT10M'
              timeAggregation: 'Average'
              operator: 'LessThan'
              threshold: 25
            }
            scaleAction: {
              direction: 'Decrease'
              type: 'ChangeCount'
              value: '1'
              cooldown: 'PT10M'
            }
          }
        ]
      }
    ]
  }
}

resource siteDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
output principalId string = site.identity.principalId
output planName string = plan.name
