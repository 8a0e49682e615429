// One built-in role on one vault for one service principal (the web app's system-assigned managed identity).
// A module of its own so that the vault and the web app can be deployed first and joined afterwards.

@description('Name of an existing vault in this resource group.')
param vaultName string

@description('Object (principal) ID of the managed identity.')
param principalId string

@description('GUID of the built-in role definition.')
param roleDefinitionId string

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: vaultName
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, roleDefinitionId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
    principalId: principalId
    // Stated explicitly so a freshly created identity does not fail on directory replication delay.
    principalType: 'ServicePrincipal'
  }
}
