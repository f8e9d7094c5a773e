package io.dpstwin.functions;

import io.dpstwin.core.config.DpsTwinSettings;
import com.azure.core.credential.TokenCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;

/** Builds the app's Azure Identity credential from its settings; only this adapter depends on azure-identity. */
final class AzureCredentials {

    private AzureCredentials() {
    }

    /**
     * {@code DefaultAzureCredential} (managed identity in Azure, developer sign-ins locally) or
     * {@code ManagedIdentityCredential}; a user-assigned identity when {@code AZURE_CLIENT_ID} (or
     * {@code DPSTWIN_CREDENTIAL_MANAGEDIDENTITYCLIENTID}) is set. Building does no I/O: tokens are fetched on the first ADT call.
     */
    static TokenCredential create(FunctionsSettings settings) {
        String clientId = settings.get(DpsTwinSettings.CREDENTIAL_CLIENT_ID);
        if ("managed-identity".equals(settings.get(DpsTwinSettings.CREDENTIAL_KIND))) {
            ManagedIdentityCredentialBuilder builder = new ManagedIdentityCredentialBuilder();
            return (clientId != null ? builder.clientId(clientId) : builder).build();
        }
        DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder();
        String tenantId = settings.get(DpsTwinSettings.CREDENTIAL_TENANT_ID);
        if (tenantId != null) {
            builder.tenantId(tenantId);
        }
        return (clientId != null ? builder.managedIdentityClientId(clientId) : builder).build();
    }
}
