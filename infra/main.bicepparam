// Example parameters for main.bicep. Placeholders only: replace the zero GUIDs, names and e-mail before deploying.
// No secret goes here; the Entra client secret is stored in Key Vault after deployment (see README.md).
using './main.bicep'

param namePrefix = 'byokportal'

param location = 'westeurope'

param appServicePlanSku = 'P0v3'

param instanceCount = 2

param databaseSku = 'Serverless'

// Microsoft Entra group whose members administer the SQL server (az ad group show --group "<name>" --query id -o tsv).
param sqlAdminLogin = 'ByokPortal SQL Admins'
param sqlAdminObjectId = '00000000-0000-0000-0000-000000000000'
param sqlAdminPrincipalType = 'Group'

// Entra app registration people sign in with (see README.md, "Register the Entra application").
param entraTenantId = '00000000-0000-0000-0000-000000000000'
param entraClientId = '00000000-0000-0000-0000-000000000000'
param entraClientSecretName = 'entra-client-secret'

// The first enterprise owner: the sign-in name (UPN) this person signs in with.
param bootstrapOwnerEmail = 'owner@contoso.com'

param enterpriseSlug = 'contoso'
param enterpriseName = 'Contoso'

param migrateOnStartup = true

param logRetentionInDays = 30

param tags = {
  environment: 'production'
}
