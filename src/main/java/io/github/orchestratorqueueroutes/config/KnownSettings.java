package io.github.orchestratorqueueroutes.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Every setting the product has, with its default: the {@code application.properties} of the project, which the
 * build copies beside this class. It is the one list; the README's table and {@link Settings} are checked against
 * it, so a key cannot be added in one place only.
 */
public final class KnownSettings {

    private static final String RESOURCE = "application.properties";
    private static final KnownSettings PRODUCT = load();
    private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

    private final Map<String, String> defaults;
    private final Set<String> namespaces;
    private final Map<String, String> keysByEnvironmentName;

    KnownSettings(Map<String, String> defaults) {
        this.defaults = Map.copyOf(defaults);
        this.namespaces = defaults.keySet().stream().map(k -> k.substring(0, k.indexOf('.') + 1))
                .collect(Collectors.toUnmodifiableSet());
        Map<String, String> byEnvironment = new LinkedHashMap<>();
        defaults.keySet().forEach(k -> byEnvironment.put(environmentName(k), k));
        this.keysByEnvironmentName = Map.copyOf(byEnvironment);
    }

    /** The settings of the product as built. */
    public static KnownSettings product() {
        return PRODUCT;
    }

    public Set<String> keys() {
        return new TreeSet<>(defaults.keySet());
    }

    /** The value {@code application.properties} gives the key; empty when the default is derived or none. */
    public String defaultValue(String key) {
        String value = defaults.get(key);
        if (value == null) {
            // a key read in code but missing from application.properties: a bug of ours, not the user's
            throw new IllegalArgumentException(key + " is not in " + RESOURCE + "; add it there with its default");
        }
        return value;
    }

    public boolean isKnown(String key) {
        return defaults.containsKey(key);
    }

    /** True for keys in one of the product's namespaces ({@code purge.}, {@code export.}, ...), in any case. */
    public boolean isOwned(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return namespaces.stream().anyMatch(lower::startsWith);
    }

    /** The environment variable Camel reads for a key: upper case, dots and dashes as underscores. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The key an environment variable sets, if it names one. */
    public Optional<String> keyOfEnvironmentVariable(String name) {
        return Optional.ofNullable(keysByEnvironmentName.get(name));
    }

    /**
     * The known key nearest to a mistyped one (fewest letters added, removed or changed), in the same namespace when
     * the key has one of the product's.
     */
    public String closest(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return nearest(lower, sameNamespace(lower, defaults.keySet(), k -> k.substring(0, k.indexOf('.') + 1)));
    }

    /** The known environment variable nearest to a mistyped one, with the same prefix when it has one of ours. */
    public String closestEnvironmentName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return nearest(upper,
                sameNamespace(upper, keysByEnvironmentName.keySet(), v -> v.substring(0, v.indexOf('_') + 1)));
    }

    private static Set<String> sameNamespace(String name, Set<String> candidates, Function<String, String> prefix) {
        Set<String> same = candidates.stream().filter(c -> name.startsWith(prefix.apply(c)))
                .collect(Collectors.toSet());
        return same.isEmpty() ? candidates : same;
    }

    /** How many letters must be added, removed or changed to turn one name into the other. */
    static int distance(String a, String b) {
        return DISTANCE.apply(a, b);
    }

    private static String nearest(String name, Set<String> candidates) {
        return candidates.stream().min(Comparator.<String>comparingInt(c -> distance(name, c))
                .thenComparing(Comparator.naturalOrder())).orElseThrow();
    }

    private static KnownSettings load() {
        try (InputStream in = KnownSettings.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing beside " + KnownSettings.class.getName()
                        + "; the build copies it there");
            }
            Properties file = new Properties();
            file.load(in);
            Map<String, String> defaults = new LinkedHashMap<>();
            file.stringPropertyNames().forEach(k -> defaults.put(k, file.getProperty(k).trim()));
            return new KnownSettings(defaults);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
