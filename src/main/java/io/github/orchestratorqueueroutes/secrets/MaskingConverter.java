package io.github.orchestratorqueueroutes.secrets;

import java.util.List;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;

/** Log4j2 pattern {@code %mask{pattern}}: formats the inner pattern and passes it through {@link SecretMasker}. */
@Plugin(name = "MaskingConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({"mask"})
public final class MaskingConverter extends LogEventPatternConverter {

    private final List<PatternFormatter> formatters;

    private MaskingConverter(List<PatternFormatter> formatters) {
        super("mask", "mask");
        this.formatters = formatters;
    }

    public static MaskingConverter newInstance(Configuration config, String[] options) {
        if (options == null || options.length != 1) {
            throw new IllegalArgumentException("%mask needs exactly one inner pattern, like %mask{%m}");
        }
        return new MaskingConverter(PatternLayout.createPatternParser(config).parse(options[0], false, true, true));
    }

    @Override
    public void format(LogEvent event, StringBuilder toAppendTo) {
        StringBuilder inner = new StringBuilder();
        for (PatternFormatter formatter : formatters) {
            formatter.format(event, inner);
        }
        toAppendTo.append(SecretMasker.mask(inner.toString()));
    }

    @Override
    public boolean handlesThrowable() {
        return formatters.stream().anyMatch(PatternFormatter::handlesThrowable);
    }
}
