package io.github.orchestratorqueueroutes.simulator;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The part of OData v4 that Orchestrator clients use on collections: {@code $filter} with eq/ne/gt/ge/lt/le/in,
 * and/or/not, parentheses, string, number, null and unquoted date-time literals; and {@code $orderby}. Unknown
 * properties are rejected the way the server does, so a typo in a product filter fails loudly in tests.
 */
final class ODataQueryEvaluator {

    /** Orchestrator's enum members also match their numeric form: {@code Status eq '3'}. */
    private static final Map<String, List<String>> ENUMS = Map.of(
            "Status", List.of("New", "InProgress", "Failed", "Successful", "Abandoned", "Retried", "Deleted"),
            "Priority", List.of("High", "Normal", "Low"));
    private static final Pattern DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+(Z|[+-]\\d{2}:\\d{2})");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final int MAX_EXPRESSIONS = 100;

    static final class InvalidQueryException extends RuntimeException {
        InvalidQueryException(String message) {
            super(message);
        }
    }

    private ODataQueryEvaluator() {
    }

    static Predicate<JsonNode> filter(String text, Set<String> properties) {
        if (text == null || text.isBlank()) {
            return node -> true;
        }
        Parser parser = new Parser(tokenize(text), properties);
        Predicate<JsonNode> predicate = parser.orExpression();
        if (parser.position < parser.tokens.size()) {
            throw new InvalidQueryException("Syntax error at '" + parser.tokens.get(parser.position) + "' in $filter.");
        }
        if (parser.comparisons > MAX_EXPRESSIONS) {
            throw new InvalidQueryException("The $filter has more than " + MAX_EXPRESSIONS + " expressions.");
        }
        return predicate;
    }

    static Comparator<JsonNode> orderBy(String text, Set<String> properties) {
        Comparator<JsonNode> order = Comparator.comparing(n -> n.path("Id").asLong());
        if (text == null || text.isBlank()) {
            return order;
        }
        String[] clauses = text.split(",");
        if (clauses.length > 5) {
            throw new InvalidQueryException("The $orderby has more than 5 expressions.");
        }
        Comparator<JsonNode> combined = null;
        for (String clause : clauses) {
            String[] parts = clause.trim().split("\\s+");
            String property = parts[0];
            requireProperty(property, properties);
            boolean descending = parts.length > 1 && parts[1].equalsIgnoreCase("desc");
            Comparator<JsonNode> c = (a, b) -> compareValues(a.get(property), b.get(property));
            if (descending) {
                c = c.reversed();
            }
            combined = combined == null ? c : combined.thenComparing(c);
        }
        return combined.thenComparing(order);
    }

    private static void requireProperty(String property, Set<String> properties) {
        if (!properties.contains(property)) {
            throw new InvalidQueryException("Could not find a property named '" + property + "'.");
        }
    }

    private static int compareValues(JsonNode a, JsonNode b) {
        boolean aNull = a == null || a.isNull();
        boolean bNull = b == null || b.isNull();
        if (aNull || bNull) {
            return Boolean.compare(!aNull, !bNull);
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.asText().compareTo(b.asText());
    }

    private static List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == ',') {
                tokens.add(String.valueOf(c));
                i++;
            } else if (c == '\'') {
                StringBuilder sb = new StringBuilder("'");
                i++;
                while (true) {
                    if (i >= text.length()) {
                        throw new InvalidQueryException("Unterminated string literal in $filter.");
                    }
                    char s = text.charAt(i);
                    if (s == '\'' && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                        sb.append('\'');
                        i += 2;
                    } else if (s == '\'') {
                        i++;
                        break;
                    } else {
                        sb.append(s);
                        i++;
                    }
                }
                tokens.add(sb.toString());
            } else {
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i))
                        && "(),'".indexOf(text.charAt(i)) < 0) {
                    i++;
                }
                tokens.add(text.substring(start, i));
            }
        }
        return tokens;
    }

    /** A literal on the right of a comparison; {@code null} stands for OData's null. */
    private record Literal(Object value) {
    }

    private static final class Parser {
        final List<String> tokens;
        final Set<String> properties;
        int position;
        int comparisons;

        Parser(List<String> tokens, Set<String> properties) {
            this.tokens = tokens;
            this.properties = properties;
        }

        Predicate<JsonNode> orExpression() {
            Predicate<JsonNode> left = andExpression();
            while (peekIs("or")) {
                position++;
                left = left.or(andExpression());
            }
            return left;
        }

        Predicate<JsonNode> andExpression() {
            Predicate<JsonNode> left = unary();
            while (peekIs("and")) {
                position++;
                left = left.and(unary());
            }
            return left;
        }

        Predicate<JsonNode> unary() {
            if (peekIs("not")) {
                position++;
                return unary().negate();
            }
            if (peekIs("(")) {
                position++;
                Predicate<JsonNode> inner = orExpression();
                expect(")");
                return inner;
            }
            return comparison();
        }

        Predicate<JsonNode> comparison() {
            comparisons++;
            String property = next();
            requireProperty(property, properties);
            String operator = next().toLowerCase();
            if (operator.equals("in")) {
                expect("(");
                List<Literal> values = new ArrayList<>();
                values.add(literal(property));
                while (peekIs(",")) {
                    position++;
                    values.add(literal(property));
                }
                expect(")");
                return node -> values.stream().anyMatch(v -> compare(node.get(property), v) == 0);
            }
            Literal literal = literal(property);
            return switch (operator) {
                case "eq" -> node -> compare(node.get(property), literal) == 0;
                case "ne" -> node -> compare(node.get(property), literal) != 0;
                case "gt" -> node -> ordered(node.get(property), literal, c -> c > 0);
                case "ge" -> node -> ordered(node.get(property), literal, c -> c >= 0);
                case "lt" -> node -> ordered(node.get(property), literal, c -> c < 0);
                case "le" -> node -> ordered(node.get(property), literal, c -> c <= 0);
                default -> throw new InvalidQueryException("Unknown operator '" + operator + "' in $filter.");
            };
        }

        private Literal literal(String property) {
            String token = next();
            if (token.equals("null")) {
                return new Literal(null);
            }
            if (token.equals("true") || token.equals("false")) {
                return new Literal(Boolean.valueOf(token));
            }
            if (token.startsWith("'")) {
                String text = token.substring(1);
                List<String> members = ENUMS.get(property);
                if (members != null && NUMBER.matcher(text).matches()) {
                    int ordinal = Integer.parseInt(text);
                    if (ordinal >= 0 && ordinal < members.size()) {
                        return new Literal(members.get(ordinal));
                    }
                }
                return new Literal(text);
            }
            if (DATE_TIME.matcher(token).matches()) {
                try {
                    return new Literal(Instant.parse(token));
                } catch (DateTimeParseException e) {
                    throw new InvalidQueryException("Invalid date-time literal '" + token + "' in $filter.");
                }
            }
            if (NUMBER.matcher(token).matches()) {
                return new Literal(new BigDecimal(token));
            }
            throw new InvalidQueryException("Syntax error at '" + token + "' in $filter.");
        }

        private boolean peekIs(String token) {
            return position < tokens.size() && tokens.get(position).equalsIgnoreCase(token);
        }

        private String next() {
            if (position >= tokens.size()) {
                throw new InvalidQueryException("Unexpected end of $filter.");
            }
            return tokens.get(position++);
        }

        private void expect(String token) {
            if (!peekIs(token)) {
                throw new InvalidQueryException("Expected '" + token + "' in $filter.");
            }
            position++;
        }
    }

    private interface Ordering {
        boolean test(int comparison);
    }

    private static boolean ordered(JsonNode value, Literal literal, Ordering ordering) {
        if (value == null || value.isNull() || literal.value() == null) {
            return false;
        }
        return ordering.test(compare(value, literal));
    }

    /** 0 when equal; OData compares null only for (in)equality. */
    private static int compare(JsonNode value, Literal literal) {
        boolean valueNull = value == null || value.isNull();
        if (literal.value() == null || valueNull) {
            return valueNull && literal.value() == null ? 0 : 1;
        }
        Object expected = literal.value();
        if (expected instanceof BigDecimal number) {
            if (!value.isNumber()) {
                throw new InvalidQueryException("A number cannot be compared with a text property.");
            }
            return value.decimalValue().compareTo(number);
        }
        if (expected instanceof Instant instant) {
            try {
                return Instant.parse(value.asText()).compareTo(instant);
            } catch (DateTimeParseException e) {
                throw new InvalidQueryException("A date-time cannot be compared with '" + value.asText() + "'.");
            }
        }
        if (expected instanceof Boolean bool) {
            return value.isBoolean() && value.booleanValue() == bool ? 0 : 1;
        }
        return value.asText().compareTo((String) expected);
    }
}
