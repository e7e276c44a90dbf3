package io.flowhost.cli;

import io.flowhost.cli.release.BuildInfo;
import picocli.CommandLine;

/** The version printed by {@code flowhost --version}: flowhost's, the commit it was built from, and Java's. */
final class Version implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        var build = BuildInfo.current();
        return new String[] {
            "flowhost " + build.version() + " (commit " + build.commit() + ") on Java " + Runtime.version()
        };
    }
}
