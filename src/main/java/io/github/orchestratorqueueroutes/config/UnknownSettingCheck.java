package io.github.orchestratorqueueroutes.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.OrderedLocationProperties;

/**
 * Stops start-up on a key that looks like one of the product's settings but is none, such as
 * {@code purge.dry-runn}: left alone, the typo would be ignored and its default ({@code false}) would run a real
 * purge. Checked before anything reaches Orchestrator.
 * <p>
 * Keys: every key in one of the product's namespaces ({@code orchestrator.}, {@code purge.}, ...), from the
 * property files, the host's initial and override properties and {@code -D}, must be a known setting.
 * <p>
 * Environment variables: one that starts with {@code ORCHESTRATOR_}, {@code PURGE_} or {@code EXPORT_} must name a
 * setting. The other namespaces' prefixes ({@code RUN_}, {@code OUTPUT_}, {@code STATE_}, ...) are common words, so a
 * variable with one of them stops start-up only when it is one letter (added, missing or changed) away from a
 * setting's variable, as {@code RUN_ONCEE}; {@code RUN_ID} or {@code STATE_FILE} pass.
 */
public final class UnknownSettingCheck {

    /** Namespaces whose environment prefix no ordinary shell or CI variable uses. */
    static final List<String> DISTINCTIVE_NAMESPACES = List.of("orchestrator.", "purge.", "export.");

    private final KnownSettings known;

    UnknownSettingCheck(KnownSettings known) {
        this.known = known;
    }

    /** Checks what a Camel context was given, the JVM's system properties and the process environment. */
    public static void requireKnown(PropertiesComponent properties) {
        new UnknownSettingCheck(KnownSettings.product())
                .check(sourcesOf(properties, System.getProperties()), System.getenv());
    }

    /**
     * @param sourceByKey every key given, with where it came from as a person would name it
     * @param environment the process environment
     */
    void check(Map<String, String> sourceByKey, Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        String first = null;
        for (Map.Entry<String, String> given : new TreeMap<>(sourceByKey).entrySet()) {
            String key = given.getKey();
            if (known.isOwned(key) && !known.isKnown(key)) {
                first = first == null ? key : first;
                problems.add("'" + key + "' (" + given.getValue() + ") is not a setting of this product. "
                        + suggestion(key, known.closest(key), "'" + known.closest(key) + "'"));
            }
        }
        for (String name : new TreeMap<>(environment).keySet()) {
            if (isMistypedVariable(name)) {
                first = first == null ? name : first;
                String closest = known.closestEnvironmentName(name);
                problems.add("Environment variable " + name + " is not a setting of this product. "
                        + suggestion(name, closest,
                                closest + " (" + known.keyOfEnvironmentVariable(closest).orElseThrow() + ")"));
            }
        }
        if (!problems.isEmpty()) {
            throw InvalidSettingException.withMessage(first, String.join(" ", problems) + " Nothing was run: "
                    + "correct or remove " + (problems.size() == 1 ? "it" : "them")
                    + " (README \"Configuration\" lists every setting).");
        }
    }

    private boolean isMistypedVariable(String name) {
        if (known.keyOfEnvironmentVariable(name).isPresent()) {
            return false;
        }
        if (DISTINCTIVE_NAMESPACES.stream().map(KnownSettings::environmentName).anyMatch(name::startsWith)) {
            return true;
        }
        return known.isOwned(name.replace('_', '.'))
                && KnownSettings.distance(name, known.closestEnvironmentName(name)) == 1;
    }

    private static String suggestion(String typed, String closest, String named) {
        boolean near = KnownSettings.distance(typed.toLowerCase(Locale.ROOT), closest.toLowerCase(Locale.ROOT))
                <= Math.max(2, closest.length() / 4);
        return near ? "Did you mean " + named + "?" : "The closest setting is " + named + ".";
    }

    /** Each key Camel was given, named by its source; a -D wins over a file, as it does when Camel reads it. */
    static Map<String, String> sourcesOf(PropertiesComponent properties, Properties system) {
        Map<String, String> sources = new TreeMap<>();
        Properties loaded = properties.loadProperties();
        for (String key : loaded.stringPropertyNames()) {
            String location = loaded instanceof OrderedLocationProperties located ? located.getLocation(key) : null;
            sources.put(key, switch (location == null ? "" : location) {
                case "initial" -> "initial property of the Camel context";
                case "override" -> "override property of the Camel context";
                case "" -> "Camel property";
                default -> "in " + location;
            });
        }
        for (String key : system.stringPropertyNames()) {
            sources.put(key, "-D" + key + " system property");
        }
        return sources;
    }
}
