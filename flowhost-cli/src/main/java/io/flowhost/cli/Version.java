package io.flowhost.cli;

import picocli.CommandLine;

/** The version printed by {@code flowhost --version}. */
final class Version implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        var version = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "flowhost " + (version == null ? "(development build)" : version) + " on Java " + Runtime.version()
        };
    }
}
