package dev.tally.stack.clickhouse;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SqlTextTest
{
    private static SqlText.InsertHead head(final String sql)
    {
        final byte[] b = sql.getBytes(StandardCharsets.UTF_8);
        return SqlText.insertHead(b, b.length);
    }

    @Test
    void findsFormatAndDataOfAnInsert()
    {
        final String sql = "INSERT INTO db.t (a, b) FORMAT RowBinary\n\n\u0001\u0002";
        final SqlText.InsertHead head = head(sql);
        assertThat(head.target()).isEqualTo("INSERT INTO db.t (a, b)");
        assertThat(head.format()).isEqualTo("RowBinary");
        assertThat(head.settings()).isEmpty();
        assertThat(sql.substring(head.dataOffset())).isEqualTo("\n\u0001\u0002");
    }

    @Test
    void movesSettingsAfterFromInfile()
    {
        final SqlText.InsertHead head = head("insert into t SETTINGS async_insert=1 format TSV\n");
        assertThat(head.fromInfile("/tmp/a'b"))
            .isEqualTo("insert into t FROM INFILE '/tmp/a\\'b' SETTINGS async_insert=1 FORMAT TSV");
    }

    @Test
    void valuesDataStartsRightAfterTheKeyword()
    {
        final String sql = "INSERT INTO t VALUES (1, 'FORMAT x')";
        final SqlText.InsertHead head = head(sql);
        assertThat(head.format()).isEqualTo("Values");
        assertThat(sql.substring(head.dataOffset())).isEqualTo(" (1, 'FORMAT x')");
    }

    @Test
    void ignoresFormatInsideLiteralsCommentsAndSubqueries()
    {
        assertThat(head("INSERT INTO t SELECT 'FORMAT CSV'")).isNull();
        assertThat(head("INSERT INTO t /* FORMAT CSV */ SELECT 1")).isNull();
        assertThat(head("SELECT 1 FORMAT CSV")).isNull();
        assertThat(SqlText.outputFormat("SELECT 'FORMAT JSON' -- FORMAT CSV\n FORMAT TSVWithNames"))
            .isEqualTo("TSVWithNames");
        assertThat(SqlText.outputFormat("SELECT * FROM (SELECT 1 FORMAT JSON)")).isNull();
    }

    @Test
    void classifiesStatements()
    {
        assertThat(SqlText.kind("  -- c\n insert into t values")).isEqualTo(SqlText.Kind.INSERT);
        assertThat(SqlText.kind("SET max_threads = 1")).isEqualTo(SqlText.Kind.SET);
        assertThat(SqlText.kind("use db")).isEqualTo(SqlText.Kind.USE);
        assertThat(SqlText.kind("SELECT 1")).isEqualTo(SqlText.Kind.OTHER);
    }
}
