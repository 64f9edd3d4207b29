package io.github.orchestratorqueueroutes.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The project's application.properties and the README's configuration table, as the tests compare them. */
final class ProjectFiles {

    private static final Pattern TABLE_ROW = Pattern.compile("(?m)^\\| `([a-z0-9.-]+)` \\|.*\\|([^|\n]*)\\|[ \t]*$");

    private ProjectFiles() {
    }

    /** Key to value, as application.properties gives them. */
    static Map<String, String> propertiesFile() throws IOException {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("application.properties"))) {
            file.load(reader);
        }
        Map<String, String> values = new TreeMap<>();
        file.stringPropertyNames().forEach(k -> values.put(k, file.getProperty(k).trim()));
        return values;
    }

    /** Key to the text of the default column, as README "Configuration" gives them. */
    static Map<String, String> readmeTable() throws IOException {
        Map<String, String> rows = new TreeMap<>();
        Matcher row = TABLE_ROW.matcher(Files.readString(Path.of("README.md")));
        while (row.find()) {
            rows.put(row.group(1), row.group(2).trim());
        }
        return rows;
    }
}
