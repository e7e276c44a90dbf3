package io.flowhost.cli.scaffold;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.lang.model.SourceVersion;

/**
 * What a new project is called: its name (the service's name in URLs, the Maven artifact and the jar), its Java
 * package and its service class.
 *
 * @param name lowercase letters, digits and dashes, starting with a letter, e.g. {@code fraud-score}
 * @param packageName a Java package, e.g. {@code com.example.fraudscore}
 * @param className the service class, e.g. {@code FraudScoreService}
 */
public record ProjectSpec(String name, String packageName, String className) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    /** Checks the name and the package (the default package is {@code com.example.<name without dashes>}). */
    public static ProjectSpec of(String name, String packageName) {
        if (name == null || !NAME.matcher(name).matches() || name.length() > 63) {
            throw new ScaffoldException("'" + name + "' cannot name a service: use lowercase letters, digits and"
                    + " single dashes, starting with a letter (at most 63), e.g. fraud-score");
        }
        var pkg = packageName == null ? "com.example." + name.replace("-", "") : packageName;
        if (!SourceVersion.isName(pkg) || !pkg.equals(pkg.toLowerCase(Locale.ROOT))) {
            throw new ScaffoldException("'" + pkg + "' is not a Java package name: give --package with lowercase"
                    + " dot-separated words that are not Java keywords, e.g. com.example.fraud");
        }
        var className = Arrays.stream(name.split("-"))
                        .map(part -> Character.toUpperCase(part.charAt(0)) + part.substring(1))
                        .collect(Collectors.joining())
                + "Service";
        return new ProjectSpec(name, pkg, className);
    }

    /** The package as a source folder path, e.g. {@code com/example/fraudscore}. */
    public String packagePath() {
        return packageName.replace('.', '/');
    }
}
