package io.sluice.core.route;

import io.sluice.core.model.TableId;

import java.util.regex.Pattern;

/** A db.table selection entry where '*' matches any run of characters within one name. */
public record TablePattern(String text, Pattern database, Pattern table) {

    public static TablePattern parse(String text) {
        TableId id = TableId.parse(text);
        return new TablePattern(text, glob(id.database()), glob(id.table()));
    }

    public boolean isLiteral() { return !text.contains("*"); }

    public boolean matches(TableId id) {
        return database.matcher(id.database()).matches() && table.matcher(id.table()).matches();
    }

    private static Pattern glob(String s) {
        String[] parts = s.split("\\*", -1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) re.append(".*");
            re.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(re.toString());
    }
}
