package io.mailshot.audience.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * An audience filter as a SQL predicate over table {@code profile} and its bind parameters. User input
 * only ever travels in the parameters: the SQL text is built from fixed fragments.
 *
 * @param sql a boolean expression, e.g. {@code ((doc #>> ?::text[]) = ?)}
 * @param params in order; a {@code String[]} binds as {@code text[]}, a {@code String} as text
 */
public record CompiledFilter(String sql, List<Object> params) {

    public CompiledFilter {
        params = List.copyOf(params);
    }

    /** Binds the parameters starting at {@code index}; returns the next free index. */
    public int bind(Connection c, PreparedStatement ps, int index) throws SQLException {
        for (Object p : params) {
            bindOne(c, ps, index++, p);
        }
        return index;
    }

    static void bindOne(Connection c, PreparedStatement ps, int index, Object p) throws SQLException {
        if (p instanceof String[] array) {
            ps.setArray(index, c.createArrayOf("text", array));
        } else if (p instanceof Integer number) {
            ps.setInt(index, number);
        } else {
            ps.setString(index, (String) p);
        }
    }
}
