package io.dpstwin.spring.autoconfigure;

import com.azure.core.credential.TokenCredential;
import com.azure.storage.blob.BlobContainerClientBuilder;
import org.springframework.beans.factory.ObjectProvider;

/**
 * A blob container named by settings: a URL reached with the application's credential, or a connection string with a
 * container name. Building does no I/O; a connection string is never quoted in an error.
 */
final class BlobContainers {

    private BlobContainers() {
    }

    /**
     * @param prefix     the properties' common prefix, e.g. {@code dps-twin.lifecycle.event-hubs.checkpoint-store}
     * @param purpose    what the container holds, completing "Name the blob container that ..."
     * @throws DpsTwinConfigurationException when the settings contradict each other or are malformed
     */
    static BlobContainerClientBuilder builder(String prefix, String url, String connection, String container,
                                              String purpose, ObjectProvider<TokenCredential> credential) {
        if (url != null && connection != null) {
            throw new DpsTwinConfigurationException(prefix, "both container-url and connection-string are set",
                    "Give either container-url (reached with the application's credential) or "
                            + "connection-string with container-name.");
        }
        if (url != null) {
            try {
                return new BlobContainerClientBuilder()
                        .endpoint(url)
                        .credential(credential.getObject());
            } catch (IllegalArgumentException e) {
                throw new DpsTwinConfigurationException(prefix + ".container-url", "is not a blob container URL",
                        "Use https://<account>.blob.core.windows.net/<container>.", e);
            }
        }
        if (container == null) {
            throw new DpsTwinConfigurationException(prefix + ".container-name", "is not set",
                    "Name the blob container that " + purpose + ".");
        }
        try {
            return new BlobContainerClientBuilder()
                    .connectionString(connection)
                    .containerName(container);
        } catch (IllegalArgumentException e) {
            // The SDK's message may quote the connection string: it is not passed on.
            throw new DpsTwinConfigurationException(prefix + ".connection-string",
                    "is not a valid storage connection string",
                    "Copy the connection string from the storage account's Access keys page.");
        }
    }
}
