// The certificate that encrypts the portal's ASP.NET Core Data Protection key ring at rest (sign-in cookies, antiforgery tokens).
// Key Vault certificates have no ARM resource: a deployment script (Azure CLI, its own user-assigned identity with "Key Vault
// Certificates Officer" on the vault) creates it when it is missing and leaves an existing one alone. Key Vault renews it
// itself (80 % of its lifetime); the portal reads every enabled version at start, so keys protected by an older version stay readable.
// The portal reads the certificate's private key as the secret of the same name: its "Key Vault Secrets Officer" role covers that.

@description('Azure region (of the deployment script).')
param location string

@description('Name of an existing vault in this resource group.')
param vaultName string

@description('Name of the certificate (also the name of the secret that holds its private key).')
param certificateName string

@description('Tags for every resource.')
param tags object

@description('Changes on every deployment, so that the script runs each time (it only creates a missing certificate).')
param runTag string = utcNow()

// Built-in role "Key Vault Certificates Officer": create and manage certificates.
var certificatesOfficerRoleId = 'a4417e6f-fecd-4de8-b567-7b0420556985'

// Self-signed (nobody outside the portal needs to trust it), RSA 2048, exportable (the portal needs the private key), PKCS#12.
var policy = {
  issuerParameters: {
    name: 'Self'
  }
  keyProperties: {
    exportable: true
    keyType: 'RSA'
    keySize: 2048
    reuseKey: false
  }
  secretProperties: {
    contentType: 'application/x-pkcs12'
  }
  x509CertificateProperties: {
    subject: 'CN=ByokPortal Data Protection key ring'
    validityInMonths: 24
    keyUsage: [
      'keyEncipherment'
      'dataEncipherment'
    ]
  }
  lifetimeActions: [
    {
      trigger: {
        lifetimePercentage: 80
      }
      action: {
        actionType: 'AutoRenew'
      }
    }
  ]
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: vaultName
}

resource scriptIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${vaultName}-certificates'
  location: location
  tags: tags
}

resource certificatesOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, scriptIdentity.id, certificatesOfficerRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', certificatesOfficerRoleId)
    principalId: scriptIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource createCertificate 'Microsoft.Resources/deploymentScripts@2023-08-01' = {
  name: 'create-certificate-${certificateName}'
  location: location
  tags: tags
  kind: 'AzureCLI'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${scriptIdentity.id}': {}
    }
  }
  properties: {
    azCliVersion: '2.61.0'
    forceUpdateTag: runTag
    retentionInterval: 'PT1H'
    cleanupPreference: 'OnSuccess'
    timeout: 'PT20M'
    environmentVariables: [
      {
        name: 'VAULT'
        value: vaultName
      }
      {
        name: 'CERTIFICATE'
        value: certificateName
      }
      {
        name: 'POLICY'
        value: string(policy)
      }
    ]
    // A new role assignment takes minutes to reach Key Vault: try for up to ten minutes.
    scriptContent: '''
set -u
for attempt in $(seq 1 30); do
  status=$(az keyvault certificate show --vault-name "$VAULT" --name "$CERTIFICATE" --query "attributes.enabled" -o tsv 2>/dev/null)
  if [ "$status" = "true" ]; then
    echo "Certificate $CERTIFICATE is in $VAULT."
    exit 0
  fi
  az keyvault certificate create --vault-name "$VAULT" --name "$CERTIFICATE" --policy "$POLICY" -o none 2>/dev/null && continue
  sleep 20
done
echo "Certificate $CERTIFICATE could not be created in $VAULT." >&2
exit 1
'''
  }
  dependsOn: [
    certificatesOfficer
  ]
}

@description('Name of the certificate (set as Portal:DataProtection:KeyVaultCertificateName).')
output name string = certificateName
