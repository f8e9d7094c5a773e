package io.dpstwin.functions;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;

/** Builds the app's Azure Identity credential from its settings; only this adapter depends on azure-identity. */
final class AzureCredentials {

    private AzureCredentials() {
    }

    /**
     * {@code DefaultAzureCredential} (managed identity in Azure, developer sign-ins locally) or
     * {@code ManagedIdentityCredential}; a user-assigned identity when {@code AZURE_CLIENT_ID} is set. Building
     * does no I/O: tokens are fetched on the first ADT call.
     */
    static TokenCredential create(FunctionsSettings settings) {
        String clientId = settings.managedIdentityClientId().orElse(null);
        return switch (settings.credential()) {
            case DEFAULT -> {
                DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder();
                if (clientId != null) {
                    builder.managedIdentityClientId(clientId);
                }
                yield builder.build();
            }
            case MANAGED_IDENTITY -> {
                ManagedIdentityCredentialBuilder builder = new ManagedIdentityCredentialBuilder();
                if (clientId != null) {
                    builder.clientId(clientId);
                }
                yield builder.build();
            }
        };
    }
}
