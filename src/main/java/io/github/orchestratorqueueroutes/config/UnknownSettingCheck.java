package io.github.orchestratorqueueroutes.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

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
 * Environment variables, read in upper case with dots and dashes as underscores: one that names a key but in a
 * spelling Camel does not read ({@code purge_dry_run}) is refused; one that starts with {@code ORCHESTRATOR_},
 * {@code PURGE_} or {@code EXPORT_} must name a setting, except the variables Kubernetes sets for a neighbouring
 * service ({@code ORCHESTRATOR_SERVICE_HOST}). The other namespaces' prefixes ({@code RUN_}, {@code OUTPUT_},
 * {@code STATE_}, ...) are common words, so a variable with one of them stops start-up only when it is one letter
 * (added, missing or changed) away from a setting's variable, as {@code RUN_ONCEE}; {@code RUN_ID} or
 * {@code STATE_FILE} pass. Property sources Camel cannot list (a host's own {@code PropertiesSource}) are not checked.
 */
public final class UnknownSettingCheck {

    /** Namespaces whose environment prefix no ordinary shell or CI variable uses. */
    static final List<String> DISTINCTIVE_NAMESPACES = List.of("orchestrator.", "purge.", "export.");
    /**
     * What Kubernetes (and Docker links) set for a neighbouring service named like a namespace ("orchestrator",
     * "export"): {@code ORCHESTRATOR_SERVICE_HOST}, {@code EXPORT_PORT_443_TCP_ADDR}, ...
     */
    static final Pattern SERVICE_LINK = Pattern.compile(
            "[A-Z0-9_]+_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_\\d+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)?)");
    private static final List<String> SECRET_KEYS =
            List.of("orchestrator.auth.token", "orchestrator.auth.client-secret", "orchestrator.auth.password");

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
        List<String> named = new ArrayList<>();
        for (Map.Entry<String, String> given : new TreeMap<>(sourceByKey).entrySet()) {
            String key = given.getKey();
            if (known.isOwned(key) && !known.isKnown(key)) {
                String closest = known.closest(key);
                named.add(printable(key));
                problems.add("'" + printable(key) + "' (" + given.getValue() + ") is not a setting of this product. "
                        + suggestion(key, closest, "'" + closest + "'"));
            }
        }
        for (String name : new TreeMap<>(environment).keySet()) {
            variableProblem(name).ifPresent(problem -> {
                named.add(printable(name));
                problems.add(problem);
            });
        }
        if (!problems.isEmpty()) {
            throw InvalidSettingException.withMessage(named.get(0), String.join(" ", problems) + " Nothing was run: "
                    + "correct or remove " + (problems.size() == 1 ? "it" : "them")
                    + " (README \"Configuration\" lists every setting).");
        }
    }

    /** Camel reads a key from two spellings only: PURGE_DRY_RUN and PURGE.DRY-RUN. */
    private Optional<String> variableProblem(String name) {
        String normalized = KnownSettings.environmentName(name);
        Optional<String> key = known.keyOfEnvironmentVariable(normalized);
        if (key.isPresent()) {
            if (name.equals(normalized) || name.equals(key.get().toUpperCase(Locale.ROOT))) {
                return Optional.empty();
            }
            return Optional.of("Environment variable " + printable(name) + " is not read: for " + key.get()
                    + " Camel reads " + normalized + " (or " + key.get().toUpperCase(Locale.ROOT) + ").");
        }
        if (SERVICE_LINK.matcher(normalized).matches()) {
            return Optional.empty();
        }
        String closest = known.closestEnvironmentName(normalized);
        boolean distinctive = DISTINCTIVE_NAMESPACES.stream().map(KnownSettings::environmentName)
                .anyMatch(normalized::startsWith);
        if (distinctive || known.isOwned(normalized.replace('_', '.'))
                && KnownSettings.distance(normalized, closest) == 1) {
            return Optional.of("Environment variable " + printable(name) + " is not a setting of this product. "
                    + suggestion(normalized, closest,
                            closest + " (" + known.keyOfEnvironmentVariable(closest).orElseThrow() + ")"));
        }
        return Optional.empty();
    }

    /**
     * A key as the message may show it: what follows a secret setting's name may be the secret itself (a line
     * written {@code orchestrator.auth.token.eyJhbGci...} by mistake), and is left out.
     */
    static String printable(String key) {
        String lower = key.toLowerCase(Locale.ROOT).replace('_', '.');
        for (String secret : SECRET_KEYS) {
            String spelled = secret.replace('-', '.');
            String typed = lower.replace('-', '.');
            if (typed.startsWith(spelled) && key.length() > secret.length() + 3) {
                return key.substring(0, secret.length()) + "... (" + (key.length() - secret.length())
                        + " more characters)";
            }
        }
        return key.length() > 80 ? key.substring(0, 60) + "... (" + (key.length() - 60) + " more characters)" : key;
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
