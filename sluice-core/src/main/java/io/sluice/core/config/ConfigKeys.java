package io.sluice.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The keys a job file may have, read from {@link JobConfig} itself (its public fields are the YAML
 * keys, bound strictly), so the documentation's test and the error messages never keep a second list.
 */
public final class ConfigKeys {

    private ConfigKeys() {}

    /** Every key path ({@code target.ddl.topic}) with its Java type; maps and lists are leaves. */
    public static Map<String, Class<?>> all() {
        Map<String, Class<?>> keys = new TreeMap<>();
        collect(JobConfig.class, "", keys);
        return keys;
    }

    private static void collect(Class<?> type, String prefix, Map<String, Class<?>> keys) {
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            String path = prefix + f.getName();
            Class<?> t = f.getType();
            if (t.getEnclosingClass() == JobConfig.class && !t.isEnum()) {
                keys.put(path, t);
                collect(t, path + ".", keys);
            } else {
                keys.put(path, t);
            }
        }
    }

    /**
     * Every spelling an enum key accepts, aliases included: its static {@code SPELLINGS} map where it
     * has aliases, else the values of {@link #acceptedValues}. Lower case.
     */
    public static java.util.Set<String> spellings(Class<?> enumType) {
        try {
            Field f = enumType.getField("SPELLINGS");
            if (Modifier.isStatic(f.getModifiers()) && f.get(null) instanceof Map<?, ?> m) {
                return m.keySet().stream().map(k -> k.toString().toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(java.util.TreeSet::new));
            }
        } catch (NoSuchFieldException | IllegalAccessException e) {
            // no aliases: the values the parser names
        }
        return Arrays.stream(acceptedValues(enumType).replaceFirst("^expected (one of )?", "").split(", | or "))
                .map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /**
     * What an enum key accepts, as its parser says it ("expected none, table or primaryKey"): the
     * {@link JsonCreator} method's message for a value it rejects. Never a Java class name.
     */
    public static String acceptedValues(Class<?> enumType) {
        for (Method m : enumType.getMethods()) {
            if (m.isAnnotationPresent(JsonCreator.class) && Modifier.isStatic(m.getModifiers())
                    && m.getParameterCount() == 1 && m.getParameterTypes()[0] == String.class) {
                try {
                    m.invoke(null, "\u0000");
                } catch (InvocationTargetException e) {
                    if (e.getCause() instanceof IllegalArgumentException iae && iae.getMessage() != null) return iae.getMessage();
                } catch (IllegalAccessException e) {
                    break;
                }
            }
        }
        List<String> names = Arrays.stream(enumType.getEnumConstants()).map(c -> c.toString().toLowerCase(Locale.ROOT)).toList();
        return "expected one of " + names.stream().collect(Collectors.joining(", "));
    }
}
