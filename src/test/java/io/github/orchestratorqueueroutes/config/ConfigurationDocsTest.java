package io.github.orchestratorqueueroutes.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** Every setting in application.properties is documented in the README's table, and nothing else is. */
class ConfigurationDocsTest {

    @Test
    void readmeTableAndPropertiesFileNameTheSameKeys() throws Exception {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("application.properties"))) {
            file.load(reader);
        }
        Set<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9.-]+)` \\|").matcher(Files.readString(Path.of("README.md")));
        while (row.find()) {
            documented.add(row.group(1));
        }

        assertThat(documented).isEqualTo(new TreeSet<>(file.stringPropertyNames()));
    }

    @Test
    void everySettingInTheFileIsReadBySettings() throws Exception {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("application.properties"))) {
            file.load(reader);
        }
        Set<String> read = new TreeSet<>();
        Settings.load(key -> {
            read.add(key);
            return java.util.Optional.ofNullable(file.getProperty(key));
        });

        assertThat(read).containsAll(file.stringPropertyNames());
    }
}
