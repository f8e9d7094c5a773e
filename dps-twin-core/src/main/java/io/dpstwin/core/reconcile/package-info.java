/**
 * The repair flow: {@link io.dpstwin.core.reconcile.Reconciler} compares the IoT hubs' identity registries
 * ({@link io.dpstwin.core.reconcile.DeviceInventory}, on IoT Hub's device query by
 * {@link io.dpstwin.core.reconcile.IotHubDeviceInventory}) with the twins of the device models, and retires orphaned
 * twins and creates missing ones, leaving recent changes alone; every run yields a JSON-ready
 * {@link io.dpstwin.core.reconcile.ReconcileReport}.
 */
package io.dpstwin.core.reconcile;
