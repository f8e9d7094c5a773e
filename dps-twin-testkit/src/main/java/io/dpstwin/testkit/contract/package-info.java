/**
 * The contract suite every {@link io.dpstwin.core.twins.DigitalTwinsGateway} must pass
 * ({@link io.dpstwin.testkit.contract.DigitalTwinsGatewayContract}) and its fixtures and models.
 */
package io.dpstwin.testkit.contract;
