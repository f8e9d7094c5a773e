package io.dpstwin.testkit.azurite;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Starts one {@link Azurite} for the test class and injects it into test methods, constructors and lifecycle
 * methods that take an {@code Azurite} parameter. When Azurite is not installed the tests are skipped with a message
 * saying how to install it, unless the environment variable {@code DPSTWIN_AZURITE_REQUIRED} is {@code true} (as in
 * the project's CI), which fails them instead.
 *
 * <pre>{@code
 * @AzuriteTest
 * class MyCheckpointTest {
 *     @Test
 *     void claimsOwnership(Azurite azurite) {
 *         BlobContainerAsyncClient container = new BlobContainerClientBuilder()
 *                 .connectionString(azurite.connectionString()).containerName("checkpoints").buildAsyncClient();
 *         ...
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(AzuriteExtension.class)
public @interface AzuriteTest {
}
