package io.dpstwin.core.internal.support;

/** How a process names itself to the other instances of an application (in blob metadata; never a secret). */
public final class HostNames {

    private HostNames() {
    }

    /**
     * The instance's name on Azure ({@code WEBSITE_INSTANCE_ID} on App Service and Functions), else the host name
     * ({@code HOSTNAME}, e.g. a Kubernetes pod), else the local host's name, followed by {@code /} and the process id.
     */
    public static String thisProcess() {
        String name = System.getenv("WEBSITE_INSTANCE_ID");
        if (name == null || name.isBlank()) {
            name = System.getenv("HOSTNAME");
        }
        if (name == null || name.isBlank()) {
            try {
                name = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                name = "unknown";
            }
        }
        return name + "/" + ProcessHandle.current().pid();
    }
}
