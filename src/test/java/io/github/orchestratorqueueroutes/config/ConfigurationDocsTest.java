package io.github.orchestratorqueueroutes.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * application.properties is the list of settings and their defaults: the README's table names the same keys with the
 * same defaults, and Settings reads every one of them.
 */
class ConfigurationDocsTest {

    @Test
    void readmeTableAndPropertiesFileNameTheSameKeys() throws Exception {
        assertThat(ProjectFiles.readmeTable().keySet()).isEqualTo(ProjectFiles.propertiesFile().keySet());
    }

    @Test
    void readmeTableGivesTheDefaultOfThePropertiesFile() throws Exception {
        Map<String, String> readme = ProjectFiles.readmeTable();
        ProjectFiles.propertiesFile().forEach((key, value) -> {
            // an empty value is no default or one derived from other settings, which the README explains
            if (!value.isEmpty()) {
                assertThat(readme.get(key)).as(key).isEqualTo("`" + value + "`");
            }
        });
    }

    @Test
    void settingsReadsEveryKeyOfTheFileAndNoOther() throws Exception {
        Map<String, String> file = ProjectFiles.propertiesFile();
        Set<String> read = new TreeSet<>();
        Settings.load(key -> {
            read.add(key);
            return Optional.ofNullable(file.get(key));
        });

        assertThat(read).isEqualTo(file.keySet());
    }
}
